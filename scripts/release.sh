#!/usr/bin/env bash
# The release (issue #24), made here from Debian's packages only. Writes into dist/, for linux/amd64 and linux/arm64:
#   reconcile-linux-ARCH           the release binary: Swift runtime, libgit2 and its TLS/SSH libraries linked in, stripped
#   reconcile-linux-ARCH.sha256    its checksum (`sha256sum -c` format)
#   reconcile-linux-ARCH.oci.tar   an image as `docker save` writes it (`docker load -i` takes it): the binary, the docker
#                                  client, Compose v2 as its CLI plugin, curl and CA certificates; no engine, no Compose v1
#
#   scripts/release.sh [amd64|arm64]...     (default: both)
#
# How: Debian sid's Swift 6.2.3 (Debian 12 has none, Debian 13's 6.0.3 is too old for our dependencies) in a
# `debootstrap sid` chroot; arm64 is cross-compiled there at native speed against a sysroot unpacked from sid's arm64
# packages (no emulation). The images' root file systems are unpacked from sid's .debs (dpkg -x, dependencies resolved by
# apt against an empty status) and written as a docker-archive tar by scripts/release-image.py: no engine needed.
# The machine's own apt sources stay as they are (sid has its own source list and lists directory in the chroot).
# Caches live in $RECONCILE_RELEASE_CACHE (default /var/cache/reconcile-release, about 10 GB with both builds): a second run
# relinks both binaries and writes the images again (95 s seen here).
# Needs root (debootstrap, chroot, mounts) and: debootstrap, qemu-user-static and binfmt-support (arm64 checks under
# emulation), python3 (scripts/setup.sh installs them).
set -euo pipefail
{ # the whole script is read before it runs (an edit during a run does not change that run)
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${RECONCILE_RELEASE_CACHE:-/var/cache/reconcile-release}
mirror=${RECONCILE_DEBIAN_MIRROR:-$(bash "$(dirname "${BASH_SOURCE[0]}")/debian-mirror.sh")}
root=$cache/sid           # the build chroot (amd64, Swift 6.2.3)
dist=$repo/dist
# The issue's target is 40 MB. With FoundationEssentials only (no FoundationInternationalization, CoreFoundation or ICU)
# the arm64 binary is 35.0 MB (48.9 MB with full Foundation): Swift code -Osize, swift-nio, BoringSSL, libgit2 with
# OpenSSL's libcrypto. Above 48 MiB something came back (the untrimmed ICU data alone is 32.6 MB): the release fails.
target_binary_bytes=$((40 * 1000 * 1000))
max_binary_bytes=$((48 * 1024 * 1024))
# The image file (what is copied to the gateway and loaded; its layer gzip-compressed). Unpacked it is about 160 MiB,
# of which Compose v2 is 62, the docker client 30 and reconcile 42.
max_image_bytes=$((120 * 1000 * 1000))
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(amd64 arm64)
for arch in "${arches[@]}"; do
    case $arch in amd64|arm64) ;; *) echo "release: unknown architecture '$arch' (amd64 or arm64)" >&2; exit 2 ;; esac
done
[ "$(id -u)" -eq 0 ] || { echo "release: run as root (debootstrap, chroot and bind mounts)" >&2; exit 2; }

say() { echo "release: $*" >&2; }
started=$(date +%s)
elapsed() { echo "$(( $(date +%s) - started ))s"; }

# --- the build chroot: Debian sid with Swift 6.2.3 -------------------------------------------------------------------------
mounted=()
unmount_all() {
    local i
    for (( i=${#mounted[@]}-1; i>=0; i-- )); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
    mounted=()
}
trap unmount_all EXIT
bind() { # source target (inside the chroot), read-only unless $3 = rw
    mkdir -p "$root$2"
    mountpoint -q "$root$2" && umount -l "$root$2"
    mount --bind "$1" "$root$2"
    [ "${3:-ro}" = rw ] || mount -o remount,bind,ro "$root$2"
    mounted+=("$root$2")
}
in_root() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"; }

toolchain_packages=(swiftlang pkg-config libgit2-dev libyaml-dev git ca-certificates libstdc++-16-dev binutils
                    binutils-aarch64-linux-gnu rsync)
if [ ! -f "$root/.reconcile-toolchain" ]; then
    say "making the build chroot (debootstrap sid, then Swift 6.2.3): $root"
    rm -rf "$root.partial"
    mkdir -p "$cache"
    debootstrap --variant=minbase sid "$root.partial" "$mirror" >"$cache/debootstrap.log" 2>&1 \
        || { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
    # The machine's clock may be ahead of sid's Release file.
    echo 'Acquire::Check-Valid-Until "false";' > "$root.partial/etc/apt/apt.conf.d/99reconcile-release"
    echo 'APT::Install-Recommends "false";' >> "$root.partial/etc/apt/apt.conf.d/99reconcile-release"
    rm -rf "$root"
    mv "$root.partial" "$root"
fi
for fs in proc sys dev dev/pts; do
    mkdir -p "$root/$fs"
    mountpoint -q "$root/$fs" || { mount --bind "/$fs" "$root/$fs"; mounted+=("$root/$fs"); }
done
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# Debian 13 (trixie) beside sid, for the arm64 sysroot's glibc (below).
if [ ! -f "$root/etc/apt/sources.list.d/trixie.list" ]; then
    echo "deb $mirror trixie main" > "$root/etc/apt/sources.list.d/trixie.list"
    rm -f "$root/.reconcile-toolchain"   # so that apt-get update runs below
fi
# SwiftPM fetches the dependencies from the machine's local copies when its git configuration says so.
[ -f /etc/gitconfig ] && cp /etc/gitconfig "$root/etc/gitconfig"
[ -d /opt/swift-packages ] && bind /opt/swift-packages /opt/swift-packages
if [ ! -f "$root/.reconcile-toolchain" ] || [ "$(cat "$root/.reconcile-toolchain")" != "${toolchain_packages[*]}" ]; then
    say "installing the toolchain in the chroot: ${toolchain_packages[*]}"
    in_root dpkg --add-architecture arm64
    in_root apt-get update -qq
    in_root apt-get install -y -qq "${toolchain_packages[@]}" >/dev/null
    echo "${toolchain_packages[*]}" > "$root/.reconcile-toolchain"
fi
say "toolchain: $(in_root swift --version 2>/dev/null | head -n 1) ($(elapsed))"

# --- the sources: copied into the chroot (SwiftPM writes Package.resolved beside Package.swift) ------------------------------
bind "$repo" /repo
in_root rsync -a --delete --exclude=/.git --exclude='/.build*' --exclude=/dist --exclude=/.swiftpm --exclude=/tmp \
    --exclude='/.venv*' --exclude=/Package.resolved --filter='P /Package.resolved' /repo/ /src/

# The static archives libgit2 and what it needs come from (Package.swift reads RECONCILE_LIBGIT2_ARCHIVES): each library
# pkg-config names, from its .a when the sysroot has one, else its shared object by soname (GSSAPI has no .a).
archives() { # libdir pkgconfig-libdir
    local names=() name soname
    for name in $(in_root env PKG_CONFIG_LIBDIR="$2" PKG_CONFIG_SYSROOT_DIR="${3:-}" pkg-config --static --libs-only-l libgit2 | tr ' ' '\n' | sed -n 's/^-l//p'); do
        case $name in pthread|dl|rt|m|c) continue ;; esac
        [[ " ${names[*]} " == *" lib$name."* ]] && continue
        if [ -f "$root$1/lib$name.a" ]; then names+=("lib$name.a")
        else # the runtime package's file (lib$name.so.N): the -dev package with lib$name.so may not be there
            soname=$(cd "$root$1" && ls "lib$name.so."* 2>/dev/null | sort | head -n 1)
            # Debian's libssh2.pc names -lgpg-error, which an OpenSSL libssh2 does not call: the link says if one is missing.
            if [ -n "$soname" ]; then names+=("$soname"); else say "not linked: lib$name (not in $1)"; fi
        fi
    done
    # libgit2's HTTP Negotiate (GSSAPI), which its .pc file does not name.
    names+=("$(cd "$root$1" && ls libgssapi_krb5.so.[0-9] | head -n 1)")
    echo "${names[*]}"
}

# --- the arm64 sysroot: Debian sid's arm64 packages, unpacked (no emulation, nothing installed) ---------------------------
sysroot=/sysroot-arm64
# libgssapi-krb5-2: libgit2's HTTP Negotiate calls GSSAPI, which has no static archive (linked as libgssapi_krb5.so.2).
sysroot_packages=(libc6-dev libgit2-dev libyaml-dev libstdc++-16-dev libgcc-16-dev libgssapi-krb5-2)
prepare_sysroot() { # incremental: a .deb is unpacked once (.reconcile-debs lists them)
    local list="$root$sysroot/.reconcile-debs" deb
    mkdir -p "$root$sysroot"
    touch "$list"
    fetch_debs arm64 /var/cache/debs-sysroot-arm64 "${sysroot_packages[@]}"
    if ! ls "$root"/var/cache/debs-sysroot-arm64/swiftlang_*_arm64.deb >/dev/null 2>&1; then
        say "downloading swiftlang:arm64 (about 500 MB) for the sysroot"
        in_root sh -c 'cd /var/cache/debs-sysroot-arm64 && apt-get download -qq swiftlang:arm64' >/dev/null
    fi
    for deb in "$root"/var/cache/debs-sysroot-arm64/*.deb; do
        grep -qxF "${deb##*/}" "$list" && continue
        dpkg-deb -x "$deb" "$root$sysroot"
        echo "${deb##*/}" >> "$list"
    done
    # glibc from Debian 13 (2.41) over sid's (2.43): linked against sid's libm, the binary asked for GLIBC_2.43 (new
    # versions of sqrtf, acosf, remainder…), more than MAPIO OS's 2.39; sid's static archives need 2.38 (__isoc23_*).
    # Unpacked last, again whenever a sid .deb was.
    local trixie=/var/cache/debs-sysroot-arm64-trixie
    in_root mkdir -p "$trixie"
    in_root sh -c "cd $trixie && ls libc6_*.deb libc6-dev_*.deb >/dev/null 2>&1 || apt-get download -qq libc6:arm64/trixie libc6-dev:arm64/trixie" >/dev/null
    if [ "$(tail -n 2 "$list" | grep -c '+deb13')" -ne 2 ]; then
        for deb in "$root$trixie"/*.deb; do dpkg-deb -x "$deb" "$root$sysroot"; echo "${deb##*/}" >> "$list"; done
    fi
    # ld.lld looks for /lib/ld-linux-aarch64.so.1; SwiftPM's static link looks beside the sysroot's usr/lib.
    ln -sfn usr/lib "$root$sysroot/lib"
    ln -sfn ../libexec/swift/lib/swift_static "$root$sysroot/usr/lib/swift_static"
}
# Downloads packages of ARCH and all they depend on, against an empty status (nothing counts as installed).
fetch_debs() { # arch dir package...
    local arch=$1 dir=$2; shift 2
    in_root mkdir -p "$dir/partial" "/var/cache/empty-status"
    : > "$root/var/cache/empty-status/status"
    in_root apt-get -qq -o APT::Architecture="$arch" -o APT::Architectures::="$arch" \
        -o Dir::State::status=/var/cache/empty-status/status -o Dir::Cache::archives="$dir" \
        --download-only -y install "$@" >/dev/null
}

# --- ICU's data, trimmed (scripts/release-icu-trim.py): full Foundation links in 32.6 MB of it, most of it other locales' --
# The member of lib_FoundationICU.a that holds it is replaced, in this cache's copy of the toolchain only (the original is
# kept beside it as .orig); nothing else changes in the link.
trim_icu() { # arch resource-dir-inside-the-chroot
    local arch=$1 lib=$2/linux/lib_FoundationICU.a work=/tmp/icu-$1 prefix="" symbol stamp
    [ "$arch" = arm64 ] && prefix=aarch64-linux-gnu-
    [ -f "$root$lib.orig" ] || cp -p "$root$lib" "$root$lib.orig"
    stamp=$(sha256sum "$repo/scripts/release-icu-trim.py" | cut -c1-16)
    [ -f "$root$lib.trimmed" ] && [ "$(cat "$root$lib.trimmed")" = "$stamp" ] && return 0
    symbol=$(in_root "${prefix}nm" --defined-only "$lib.orig" 2>/dev/null | sed -n 's/.* R \(icudt[0-9]*_dat\)$/\1/p')
    [ -n "$symbol" ] || { say "no ICU data symbol in $lib.orig"; exit 1; }
    rm -rf "$root$work"; mkdir -p "$root$work"
    in_root sh -c "cd $work && ar x $lib.orig icu_packaged_data.cpp.o && ${prefix}objcopy -O binary --only-section=.rodata icu_packaged_data.cpp.o full.dat"
    python3 "$repo/scripts/release-icu-trim.py" "$root$work/full.dat" "$root$work/trimmed.dat"
    printf '%s\n' '.section .rodata,"a"' ".globl $symbol" ".type $symbol, %object" '.balign 16' "$symbol:" \
        '.incbin "trimmed.dat"' ".size $symbol, . - $symbol" '.section .note.GNU-stack,"",%progbits' > "$root$work/data.s"
    in_root sh -c "cd $work && ${prefix}as -o icu_packaged_data.cpp.o data.s && cp $lib.orig $lib.new && ar r $lib.new icu_packaged_data.cpp.o && mv $lib.new $lib"
    if [ "$arch" = amd64 ]; then # the same data for both (one ICU version); checked where it runs natively
        local expected got
        expected=$(printf '%s\n' 2025-12-06T05:46:40Z 'Saturday 6 December 2025 06:46 GMT+1' '3.14 x' \
            '1971-01-01 00:00:00 +0000' -18000 2025-12-06T05:46:40Z 7 1,234,567.891)
        cp "$repo/scripts/release-icu-check.swift" "$root$work/main.swift"
        got=$(in_root sh -c "cd $work && swiftc -O -static-stdlib main.swift -o icu-check 2>/dev/null && ./icu-check")
        [ "$got" = "$expected" ] || { say "Foundation with the trimmed ICU data answers differently:"; diff <(echo "$expected") <(echo "$got") >&2; exit 1; }
        say "the trimmed ICU data answers as the full one (scripts/release-icu-check.swift)"
    fi
    echo "$stamp" > "$root$lib.trimmed"
}

# --- the binaries ------------------------------------------------------------------------------------------------------------
build() { # arch
    local arch=$1 out="$dist/reconcile-linux-$1" libdir env=(RECONCILE_FOUNDATION_ESSENTIALS_ONLY=1) flags=() strip=strip
    if [ "$arch" = amd64 ]; then
        trim_icu amd64 /usr/libexec/swift/lib/swift_static
        libdir=/usr/lib/x86_64-linux-gnu
        env+=(RECONCILE_LIBGIT2_ARCHIVES="$(archives $libdir $libdir/pkgconfig:/usr/share/pkgconfig)")
    else
        prepare_sysroot
        trim_icu arm64 "$sysroot/usr/libexec/swift/lib/swift_static"
        libdir=$sysroot/usr/lib/aarch64-linux-gnu strip=aarch64-linux-gnu-strip
        env+=(RECONCILE_LIBGIT2_ARCHIVES="$(archives $libdir $libdir/pkgconfig:$sysroot/usr/share/pkgconfig "$sysroot")"
             PKG_CONFIG_SYSROOT_DIR="$sysroot" PKG_CONFIG_LIBDIR="$libdir/pkgconfig:$sysroot/usr/share/pkgconfig")
        # `--sdk` alone does not reach the frontend. The resource dir is the static one (a whole resource dir: modules,
        # shims, static-stdlib-args.lnk); the sysroot has swiftlang:arm64 but not libswiftlang:arm64 (the shared
        # runtime), so the link can only take the static runtime.
        flags=(--triple aarch64-unknown-linux-gnu --sdk "$sysroot" -Xswiftc -sdk -Xswiftc "$sysroot"
               -Xswiftc -resource-dir -Xswiftc "$sysroot/usr/libexec/swift/lib/swift_static" -Xswiftc -use-ld=lld
               -Xlinker -rpath-link -Xlinker "$libdir" -Xcc -fuse-ld=lld)
    fi
    # Optimised for size: the binary must stay within 40 MB (the gateway's flash, the image's download).
    flags+=(-Xswiftc -Osize)
    # No autolinking of full Foundation (issue #24). Our code needs FoundationEssentials only, but swift-crypto
    # imports Foundation, so every object that sees it asks for -lFoundation, and SwiftPM's sorted autolink list puts
    # libFoundation.a before libFoundationEssentials.a: lld then takes the weak generic specializations both define
    # from libFoundation.a, and with them NSError, CoreFoundation and ICU (14 MB). Without these libraries on the
    # line, a call that really needs full Foundation fails the link (undefined symbol) instead of growing the binary.
    local library
    for library in Foundation FoundationInternationalization CoreFoundation _FoundationICU; do
        flags+=(-Xswiftc -Xfrontend -Xswiftc -disable-autolink-library -Xswiftc -Xfrontend -Xswiftc "$library")
    done
    say "building reconcile for linux/$arch (release, static Swift runtime; ${env[*]:0:2})"
    local t0; t0=$(date +%s)
    # Always relinked (about 40 s): SwiftPM does not see a changed linker flag or a replaced archive (the trimmed ICU).
    local triple=x86_64-unknown-linux-gnu; [ "$arch" = arm64 ] && triple=aarch64-unknown-linux-gnu
    rm -f "$root/build/$arch/$triple/release/reconcile"
    in_root env "${env[@]}" sh -c 'cd /src && exec swift build -c release --product reconcile --static-swift-stdlib --scratch-path "/build/$0" "$@"' \
        "$arch" "${flags[@]}" >"$cache/build-$arch.log" 2>&1 || { tail -40 "$cache/build-$arch.log" >&2; exit 1; }
    local built
    built=$(in_root env "${env[@]}" sh -c 'cd /src && exec swift build -c release --static-swift-stdlib --scratch-path "/build/$0" --show-bin-path "$@"' \
        "$arch" "${flags[@]}" 2>/dev/null | tail -n 1)/reconcile
    mkdir -p "$dist"
    check_foundation "$arch" "$built"
    in_root "$strip" -o /tmp/reconcile-stripped "$built"
    install -m 0755 "$root/tmp/reconcile-stripped" "$out"
    say "built linux/$arch in $(( $(date +%s) - t0 ))s"
    check_binary "$arch" "$out"
    (cd "$dist" && sha256sum "reconcile-linux-$arch" > "reconcile-linux-$arch.sha256")
}

# Full Foundation must not come back: with it come FoundationInternationalization, CoreFoundation and ICU (14 MB of
# the arm64 binary, issue #24). One call to an API only full Foundation has (JSONSerialization, NSLock, CharacterSet,
# DateFormatter…), in our code or a dependency's, links it all; FoundationEssentials is what the binary may hold.
check_foundation() { # arch unstripped-file (inside the chroot)
    local nm=nm count; [ "$1" = arm64 ] && nm=aarch64-linux-gnu-nm
    count=$(in_root "$nm" --defined-only "$2" | grep -cE ' (\$s10Foundation|\$s26FoundationInternationalization|icudt[0-9]+_dat$|_?CFStringCreateWithCString$)' || true)
    if [ "$count" -ne 0 ]; then
        say "linux/$1 links full Foundation ($count symbols of Foundation, FoundationInternationalization, CoreFoundation or ICU):"
        in_root "$nm" --defined-only "$2" | grep -E ' (\$s10Foundation|\$s26FoundationInternationalization)' | head -n 5 >&2 || true
        say "find the caller (llvm-nm -u on the objects of .build/release) and use FoundationEssentials or EssentialsExtras instead"
        exit 1
    fi
}

# The highest GLIBC_ symbol version a binary (a path inside the chroot) needs.
glibc_needed() { # arch file
    local objdump=objdump; [ "$1" = arm64 ] && objdump=aarch64-linux-gnu-objdump
    in_root "$objdump" -T "$2" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1
}

# What the binary needs of the host: no Swift library left to load, the highest glibc symbol version, its size.
check_binary() { # arch file
    local needed glibc size
    needed=$(in_root readelf -d "/repo/${2#"$repo"/}" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
    if echo "$needed" | grep -q 'libswift'; then
        say "linux/$1: the Swift runtime is not linked in: NEEDED $needed"; exit 1
    fi
    glibc=$(glibc_needed "$1" "/repo/${2#"$repo"/}")
    size=$(stat -c %s "$2")
    say "linux/$1: $(( size / 1024 / 1024 )) MiB ($size bytes), needs $glibc, NEEDED $needed"
    if [ "$size" -gt "$max_binary_bytes" ]; then say "linux/$1: larger than $(( max_binary_bytes / 1024 / 1024 )) MiB"; exit 1; fi
    if [ "$size" -gt "$target_binary_bytes" ]; then say "linux/$1: above the 40 MB target"; fi
}

# --- the images: the binary, the docker client, Compose v2 as its CLI plugin, curl and CA certificates ----------------------
# From sid's packages of the target architecture, unpacked; dependencies resolved by apt. ca-certificates alone (its
# dependencies, openssl and debconf, only build the bundle, which is done here by concatenation).
image_packages=(docker-cli docker-compose curl libyaml-0-2 libstdc++6 libgcc-s1 libzstd1 libc6)
image() { # arch
    local arch=$1 rootfs="$root/images/rootfs-$1" debs=/var/cache/debs-image-$1 out="$dist/reconcile-linux-$1.oci.tar" t0
    t0=$(date +%s)
    fetch_debs "$arch" "$debs" "${image_packages[@]}"
    in_root sh -c "cd $debs && apt-get download -qq ca-certificates" >/dev/null
    rm -rf "$rootfs"
    mkdir -p "$rootfs"
    for deb in "$root$debs"/*.deb; do dpkg-deb -x "$deb" "$rootfs"; done
    # Debian's merged /usr: the loader is asked for as /lib/ld-linux-aarch64.so.1 and /lib64/ld-linux-x86-64.so.2.
    for dir in bin sbin lib lib64; do
        if [ -d "$rootfs/$dir" ] && [ ! -L "$rootfs/$dir" ]; then
            mkdir -p "$rootfs/usr/$dir"; cp -a "$rootfs/$dir/." "$rootfs/usr/$dir/"; rm -rf "${rootfs:?}/$dir"
        fi
        [ -e "$rootfs/usr/$dir" ] && ln -sfn "usr/$dir" "$rootfs/$dir"
    done
    # Only the plugin: `docker compose` is v2; no `docker-compose` that --compose auto could take for v1.
    rm -f "$rootfs/usr/bin/docker-compose"
    [ -x "$rootfs/usr/libexec/docker/cli-plugins/docker-compose" ] || { say "no Compose v2 plugin in the image"; exit 1; }
    local unwanted
    for unwanted in usr/bin/dockerd usr/sbin/dockerd usr/bin/containerd usr/bin/docker-compose usr/bin/python3 bin/sh usr/bin/apt; do
        [ ! -e "$rootfs/$unwanted" ] || { say "the image would carry /$unwanted"; exit 1; }
    done
    rm -rf "$rootfs"/usr/share/{doc,man,info,locale,lintian,bash-completion,zsh,fish} "$rootfs"/etc/{init.d,cron.d,logrotate.d}
    # glibc's converters between legacy charsets (20 MB; nothing here calls iconv with them), SASL's plug-ins.
    rm -rf "$rootfs"/usr/lib/*-linux-gnu/gconv "$rootfs"/usr/lib/*-linux-gnu/sasl2
    mkdir -p "$rootfs/etc/ssl/certs" "$rootfs/tmp" "$rootfs/usr/local/bin" "$rootfs/usr/local/reconcile/state"
    chmod 1777 "$rootfs/tmp"
    cat "$rootfs"/usr/share/ca-certificates/mozilla/*.crt > "$rootfs/etc/ssl/certs/ca-certificates.crt"
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\n' > "$rootfs/etc/passwd"
    printf 'root:x:0:\n' > "$rootfs/etc/group"
    printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
    install -m 0755 "$dist/reconcile-linux-$arch" "$rootfs/usr/local/bin/reconcile"
    check_image_libraries "$arch" "$rootfs"
    SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || echo 0)} \
        python3 "$repo/scripts/release-image.py" "$rootfs" "$out" --arch "$arch" --tag "reconcile:latest" \
        --entrypoint /usr/local/bin/reconcile --env PATH=/usr/local/bin:/usr/bin:/bin --env HOME=/usr/local/reconcile/state \
        --env DOCKER_CONFIG=/usr/local/reconcile/state/.docker --cmd=--help --gzip >/dev/null
    local size unpacked
    size=$(stat -c %s "$out") unpacked=$(du -sb "$rootfs" | cut -f1)
    say "image linux/$arch: $(( size / 1024 / 1024 )) MiB file, $(( unpacked / 1024 / 1024 )) MiB unpacked, made in $(( $(date +%s) - t0 ))s"
    if [ "$size" -gt "$max_image_bytes" ]; then say "image linux/$arch: larger than $(( max_image_bytes / 1024 / 1024 )) MiB"; exit 1; fi
}

# Every library the binaries in the image ask for is there, and its glibc is at least the one the binary needs.
check_image_libraries() { # arch rootfs
    local file lib missing=() have need inside=${2#"$root"}
    for file in usr/local/bin/reconcile usr/bin/curl usr/bin/docker usr/libexec/docker/cli-plugins/docker-compose; do
        for lib in $(in_root readelf -d "$inside/$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
            [ -n "$(find "$2/usr/lib" -name "$lib" -print -quit)" ] || missing+=("$file: $lib")
        done
    done
    [ ${#missing[@]} -eq 0 ] || { say "image linux/$1 lacks: ${missing[*]}"; exit 1; }
    have=$(dpkg-deb -f "$(ls "$root"/var/cache/debs-image-"$1"/libc6_*.deb)" Version)
    need=$(glibc_needed "$1" "$inside/usr/local/bin/reconcile")
    dpkg --compare-versions "${have%%-*}" ge "${need#GLIBC_}" || { say "image linux/$1: glibc $have, reconcile needs $need"; exit 1; }
    say "image linux/$1: glibc $have (reconcile needs $need)"
}

# The arm64 binary, under qemu (QEMU_LD_PREFIX: the sysroot's loader and libraries), plans the bundled example exactly
# as the amd64 one does natively: same output, same exit status.
compare_plans() {
    local amd64 arm64 status64=0 statusarm=0
    amd64=$(in_root sh -c 'cd /src && exec /repo/dist/reconcile-linux-amd64 plan --no-runtime --repo example-repo --root example-gateway') || status64=$?
    arm64=$(in_root env QEMU_LD_PREFIX=$sysroot sh -c 'cd /src && exec /repo/dist/reconcile-linux-arm64 plan --no-runtime --repo example-repo --root example-gateway') || statusarm=$?
    if [ "$amd64" != "$arm64" ] || [ "$status64" != "$statusarm" ]; then
        say "the arm64 binary plans the example differently (exit $statusarm, amd64 $status64):"
        diff <(echo "$amd64") <(echo "$arm64") >&2 || true
        exit 1
    fi
    say "the example's plan: identical from both binaries ($(echo "$amd64" | wc -l) lines, exit $status64)"
}

for arch in "${arches[@]}"; do build "$arch"; done
if [ -x "$dist/reconcile-linux-amd64" ] && [ -x "$dist/reconcile-linux-arm64" ] && [ -f "$root$sysroot/.reconcile-sysroot" ]; then compare_plans; fi
for arch in "${arches[@]}"; do image "$arch"; done
say "done in $(elapsed): $(cd "$dist" && ls -l reconcile-linux-* | awk '{print $5, $9}' | tr '\n' ';')"
exit 0
}
