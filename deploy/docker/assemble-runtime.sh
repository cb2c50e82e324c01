#!/bin/sh
# Copies what the services need at run time out of a built workspace into $1: every app's and lib's
# package.json, its compiled dist/ (JavaScript and source maps, no declarations) and the data files
# that sit beside it (the .proto files, JSON schemas) — no TypeScript sources, tests, build scripts or
# configs, and not the testing lib. Run from the workspace root; the Dockerfile's build stage runs it,
# and deploy/docker/dockerfile.spec.ts runs it on a local build to check the result.
set -eu
out="$1"
for dir in apps/*/ libs/*/; do
  name="${dir%/}"
  [ "$name" = "libs/testing" ] && continue
  if [ ! -d "$name/dist" ]; then
    echo "assemble-runtime: $name has no dist/; build the workspace first" >&2
    exit 1
  fi
  mkdir -p "$out/$name"
  if [ "$name" = "apps/console" ]; then
    # The operations console is static files that the gateway serves: only its build goes in.
    cp -R "$name/dist" "$out/$name/dist"
    continue
  fi
  tar -C "$name" -cf - \
    --exclude=./src --exclude=./test --exclude=./scripts --exclude=./node_modules \
    --exclude='./tsconfig*.json' --exclude=./project.json --exclude='*.tsbuildinfo' \
    --exclude='*.d.ts' --exclude='*.d.ts.map' --exclude=./.gitignore \
    . | tar -C "$out/$name" -xf -
done
