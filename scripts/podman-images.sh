#!/usr/bin/env bash
# Builds the three images where no Docker engine runs, with podman (Debian: apt-get install
# podman runc), and checks them. The base image comes from scripts/podman-base-image.sh.
#   scripts/podman-images.sh            # build api, worker and queue-cli, then check them
set -euo pipefail
cd "$(dirname "$0")/.."
podman_run=(--runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

NODE_IMAGE=$(scripts/podman-base-image.sh)

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
    for (const dev of ["typescript", "@types", "jest", "cdktf"]) if (modules.includes(dev)) throw new Error(`carries ${dev}`)
    if (fs.readdirSync("/app").some((f) => /credentials|aws\.env|\.env$/.test(f))) throw new Error("carries credentials")
    console.log(`  '"$service"': uid ${process.getuid()}, ${modules.length} production packages, no dev tools, no credentials`)'
done
podman run --rm "${podman_run[@]}" localhost/taskoverflow-queue-cli:dev --help | head -1
podman image ls --format '  {{.Repository}}:{{.Tag}} {{.Size}}' | grep taskoverflow
