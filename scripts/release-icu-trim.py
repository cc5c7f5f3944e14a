#!/usr/bin/env python3
"""Trims ICU's data package (the `icudtNN_dat` symbol full Foundation links in: 32.6 MB of a 77 MB binary) to what
reconcile asks of Foundation: dates and times (ISO 8601, fixed formats in en_US_POSIX), time zones, number formats,
Unicode properties and normalisation. Dropped: other locales' resource bundles (root, en, en_US and en_US_POSIX are
kept; a locale that is not falls back to root, as ICU does for any locale it lacks), the dictionaries of word breaking
in Thai, Khmer, Lao, Burmese and CJK (*.dict), transliteration and table-based legacy charset converters (*.cnv).

    release-icu-trim.py IN.dat OUT.dat          (ICU's common data format: header, table of contents, items)
"""
import re
import struct
import sys

KEPT_LOCALES = {"root", "en", "en_US", "en_US_POSIX"}
# Transliteration: reconcile never asks Foundation for it. (Dropping more trees, collation, names of currencies and
# units among them, made Foundation's date formatters crash: CoreFoundation does not check every ICU error.)
DROPPED_TREES = {"translit"}
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*$")


def keep(name):
    parts = name.split("/")[1:]  # without the package's own prefix (icudt74l/)
    stem, _, extension = parts[-1].rpartition(".")
    if stem in ("pool", "res_index"):
        return True  # each tree's shared key pool and its list of locales
    if parts[0] in DROPPED_TREES or extension in ("dict", "cnv"):
        return False
    if extension == "res" and LOCALE.match(stem):
        return stem in KEPT_LOCALES
    return True


def main(source, target):
    data = open(source, "rb").read()
    header = struct.unpack("<H", data[0:2])[0]
    if data[2:4] != b"\xda\x27":
        sys.exit(f"{source}: not ICU common data")
    count = struct.unpack("<I", data[header:header + 4])[0]
    entries = [struct.unpack("<II", data[header + 4 + 8 * i:header + 12 + 8 * i]) for i in range(count)]
    items = []
    for index, (name_offset, data_offset) in enumerate(entries):
        name = data[header + name_offset:data.index(b"\0", header + name_offset)].decode()
        end = entries[index + 1][1] if index + 1 < count else len(data) - header
        items.append((name, data[header + data_offset:header + end]))
    kept = [(name, body) for name, body in items if keep(name)]
    # The table of contents (sorted names, as ICU's binary search wants; kept in their order), names, then items
    # each 16-byte aligned, as the full package lays them out.
    names = b"".join(name.encode() + b"\0" for name, _ in kept)
    toc_length = 4 + 8 * len(kept)
    start = toc_length + len(names)
    start += -start % 16
    toc, blob, position, name_position = bytearray(struct.pack("<I", len(kept))), bytearray(), start, toc_length
    for name, body in kept:
        toc += struct.pack("<II", name_position, position)
        name_position += len(name.encode()) + 1
        padding = -(position + len(body)) % 16
        blob += body + b"\0" * padding
        position += len(body) + padding
    trimmed = data[:header] + toc + names + b"\0" * (start - toc_length - len(names)) + blob
    open(target, "wb").write(trimmed)
    print(f"ICU data: kept {len(kept)} of {len(items)} items, {len(data)} -> {len(trimmed)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
