#!/usr/bin/env bash
# Prints the name of a Node image for podman builds, making it first if need be. Without registry
# access the base is made from this machine's own node and npm (a few seconds, once);
# NODE_IMAGE=node:26-bookworm-slim uses the real one where a registry is reachable.
#   NODE_IMAGE=$(scripts/podman-base-image.sh)
set -euo pipefail
if [ -n "${NODE_IMAGE:-}" ]; then echo "$NODE_IMAGE"; exit 0; fi
command -v podman >/dev/null || { echo "podman is needed (Debian: apt-get install podman runc)" >&2; exit 1; }

NODE_IMAGE=localhost/taskoverflow-node-host:$(node --version | tr -d v)
if ! podman image exists "$NODE_IMAGE"; then
  echo "Making $NODE_IMAGE from this machine's node $(node --version) and npm" >&2
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  node_bin=$(command -v node)
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  mkdir -p "$rootfs"/{bin,usr/bin,usr/lib/node_modules,etc/ssl/certs,tmp,home/node}
  cp "$node_bin" "$rootfs/usr/bin/node"
  cp -a "$npm_dir" "$rootfs/usr/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/bin/npx"
  for lib in $(ldd "$node_bin" /bin/dash /usr/bin/env | grep -o '/[^ ]*\.so[^ ]*' | sort -u); do
    mkdir -p "$rootfs$(dirname "$lib")" && cp -L "$lib" "$rootfs$lib"
  done
  cp /bin/dash "$rootfs/bin/sh"
  cp /usr/bin/env "$rootfs/usr/bin/env"
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\n' > "$rootfs/etc/group"
  chown 1000:1000 "$rootfs/home/node"
  chmod 1777 "$rootfs/tmp"
  # The system's CA bundle too, for registries reached through a proxy with its own authority.
  tar -C "$rootfs" -c . | podman import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' - "$NODE_IMAGE" >/dev/null
fi
echo "$NODE_IMAGE"
