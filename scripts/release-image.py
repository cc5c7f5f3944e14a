#!/usr/bin/env python3
"""Writes an image as `docker save` does (a docker-archive: manifest.json, the config, one layer), from a root folder,
so that `docker load -i` takes it on a machine with no registry; with --gzip the layer is compressed, which
`docker load` reads as well (the file to copy to the gateway is then less than half the size). Reproducible: names sorted, times, owners and modes
taken as they are in the folder but with mtimes clamped to SOURCE_DATE_EPOCH (0 when unset).

    release-image.py ROOTFS OUT.tar --arch arm64 --tag reconcile:latest --entrypoint /usr/local/bin/reconcile \
        --env HOME=/usr/local/reconcile/state --cmd --help
"""
import argparse
import datetime
import gzip
import hashlib
import io
import json
import os
import tarfile


def layer_bytes(root, epoch):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for directory, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(dirs + files):
                path = os.path.join(directory, name)
                info = tar.gettarinfo(path, arcname=os.path.relpath(path, root))
                info.mtime = min(int(info.mtime), epoch)
                info.uid = info.gid = 0
                info.uname = info.gname = "root"
                if info.isreg():
                    with open(path, "rb") as handle:
                        tar.addfile(info, handle)
                else:
                    tar.addfile(info)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("rootfs")
    parser.add_argument("out")
    parser.add_argument("--arch", required=True, choices=["amd64", "arm64"])
    parser.add_argument("--tag", action="append", default=[])
    parser.add_argument("--entrypoint", required=True)
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("--cmd", action="append", default=[])
    # The layer gzip-compressed inside the archive (docker load decompresses it; its diff_id stays the plain tar's).
    parser.add_argument("--gzip", action="store_true")
    args = parser.parse_args()
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    created = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    layer = layer_bytes(args.rootfs, epoch)
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config = {
        "architecture": args.arch,
        "os": "linux",
        "created": created,
        "config": {"Env": args.env, "Entrypoint": [args.entrypoint], "Cmd": args.cmd or None},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": created, "created_by": "scripts/release.sh (Debian packages, dpkg -x)"}],
    }
    if args.arch == "arm64":
        config["variant"] = "v8"
    config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    layer_name = diff_id.split(":")[1] + "/layer.tar"
    manifest = [{"Config": config_name, "RepoTags": args.tag, "Layers": [layer_name]}]

    def add(tar, name, data):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = epoch
        info.mode = 0o644
        tar.addfile(info, io.BytesIO(data))

    temporary = args.out + ".partial"
    with tarfile.open(temporary, mode="w", format=tarfile.PAX_FORMAT) as tar:
        add(tar, config_name, config_bytes)
        add(tar, layer_name, gzip.compress(layer, compresslevel=9, mtime=0) if args.gzip else layer)
        add(tar, "manifest.json", json.dumps(manifest, separators=(",", ":")).encode())
    os.replace(temporary, args.out)
    print(config_name.removesuffix(".json"))


if __name__ == "__main__":
    main()
