#!/usr/bin/env bash
# Builds the three images where no Docker engine runs, with podman (Debian: apt-get install
# podman runc), and checks them. Without registry access the base image is made from this
# machine's own Node and npm; with access, NODE_IMAGE=node:24-bookworm-slim uses the real one.
#   scripts/podman-images.sh            # build api, worker and queue-cli, then check them
set -euo pipefail
cd "$(dirname "$0")/.."
podman_run=(--runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

if [ -z "${NODE_IMAGE:-}" ]; then
  NODE_IMAGE=localhost/taskoverflow-node-host:$(node --version | tr -d v)
  if ! podman image exists "$NODE_IMAGE"; then
    echo "Making $NODE_IMAGE from this machine's node $(node --version) and npm"
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
fi

for service in api worker queue-cli; do
  echo "Building taskoverflow-$service on $NODE_IMAGE"
  podman build --quiet --isolation chroot "${podman_run[@]}" --build-arg "NODE_IMAGE=$NODE_IMAGE" \
    -f "containers/$service/Dockerfile" -t "localhost/taskoverflow-$service:dev" containers/ >/dev/null
done

echo "Checking the images"
for service in api worker queue-cli; do
  podman run --rm "${podman_run[@]}" --entrypoint node "localhost/taskoverflow-$service:dev" -e '
    const fs = require("fs")
    const modules = fs.readdirSync("/app/node_modules")
    if (process.getuid() === 0) throw new Error("runs as root")
    for (const dev of ["typescript", "@types", "vitest", "cdktf"]) if (modules.includes(dev)) throw new Error(`carries ${dev}`)
    if (fs.readdirSync("/app").some((f) => /credentials|aws\.env|\.env$/.test(f))) throw new Error("carries credentials")
    console.log(`  '"$service"': uid ${process.getuid()}, ${modules.length} production packages, no dev tools, no credentials`)'
done
podman run --rm "${podman_run[@]}" localhost/taskoverflow-queue-cli:dev --help | head -1
podman image ls --format '  {{.Repository}}:{{.Tag}} {{.Size}}' | grep taskoverflow
