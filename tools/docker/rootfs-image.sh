# Sourced by the image builders (build-base-image.sh, build-prometheus-image.sh): an image made
# from a folder with `docker import`, since no registry is reachable here. The image gets what
# the builder copies in, the libraries `ldd` lists for its binaries, and a minimal /etc; it has
# no shell, so Dockerfiles built on it must not use RUN.
#
# A builder, in order:
#   1. sets `script_name` (its prefix in messages) and `image`, then sources this file;
#   2. `image_args "$@"` (--force rebuilds, --help prints the builder's header comment);
#   3. `skip_if_built` (exits 0 when the image exists and --force was not given);
#   4. `new_rootfs`, then `copy_binary BIN...` and `copy_into_rootfs FILE...`, then `minimal_etc`;
#   5. `import_rootfs --change ... --message ...` (the arguments go to `docker import`).

fail() { echo "$script_name: $*" >&2; exit 1; }
step() { echo "$script_name: $*"; }

force=false
image_args() {
  for arg in "$@"; do
    case "$arg" in
      --force) force=true ;;
      -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
      *) fail "unknown argument '$arg' (only --force is accepted)" ;;
    esac
  done
}

skip_if_built() {
  docker info >/dev/null 2>&1 || fail "docker engine not answering; run tools/docker/setup-docker.sh first"
  if [ "$force" = false ] && docker image inspect "$image" >/dev/null 2>&1; then
    step "image $image exists, skipping (use --force to rebuild)"
    exit 0
  fi
}

new_rootfs() {
  rootfs="$(mktemp -d "/tmp/quorum-kv-$script_name-rootfs.XXXXXX")"
  trap 'rm -rf "$rootfs"' EXIT
}

# Copies each file to the same absolute path inside the root filesystem, following symlinks so
# the image holds real files (e.g. /lib64/ld-linux-x86-64.so.2 is a link on the host).
copy_into_rootfs() {
  local src
  for src in "$@"; do
    mkdir -p "$rootfs$(dirname "$src")"
    cp -L "$src" "$rootfs$src"
  done
}

# The libraries `bin` links: ldd prints "name => /path (addr)" for libraries and "/path (addr)"
# for the loader; linux-vdso has no file and is skipped.
linked_libraries() {
  ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u
}

# Each binary at its own path, with the libraries it links.
copy_binary() {
  local bin libs
  command -v ldd >/dev/null 2>&1 || fail "ldd not found (package libc-bin)"
  for bin in "$@"; do
    mapfile -t libs < <(linked_libraries "$bin")
    [ "${#libs[@]}" -gt 0 ] || fail "ldd listed no libraries for $bin (is it a static or foreign binary?)"
    step "copying $bin and ${#libs[@]} libraries: ${libs[*]}"
    copy_into_rootfs "$bin" "${libs[@]}"
  done
}

# Name lookups read /etc/hosts before DNS (Docker mounts hosts and resolv.conf at run time);
# os.userInfo() and `USER 65534` need passwd and group entries. /tmp is writable by all.
minimal_etc() {
  mkdir -p "$rootfs/etc" "$rootfs/tmp"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  chmod 1777 "$rootfs/tmp"
}

import_rootfs() {
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -c . | docker import "$@" - "$image" >/dev/null
}

built() { step "built $image ($(docker image inspect --format '{{.Size}}' "$image") bytes)"; }
