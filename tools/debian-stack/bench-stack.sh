#!/usr/bin/env bash
# tools/debian-stack/bench-stack.sh OUT_DIR: the Debian notebook stack in the side-by-side kit's format
# (../shared/bench: OUT_DIR/images + OUT_DIR/stack.json, as gen-stack.py writes), so that run-seed.sh and
# run-ours.sh measure both pipelines on it. Two changes, the same for both sides:
# - no BuildKit cache mounts: the former pipeline builds with the classic builder, which refuses `--mount`;
# - a payload.txt per image, copied right after its FROM: the kit's "image changed" edits that file, so a
#   change reruns the image's whole build (its apt install), as a changed package list would.
set -euo pipefail
OUT=${1:?usage: bench-stack.sh OUT_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$OUT"; mkdir -p "$OUT"
cp -a "$HERE/images" "$OUT/images"
find "$OUT/images" -name __pycache__ -prune -exec rm -rf {} +
for dockerfile in "$OUT"/images/*/Dockerfile; do
  dir=$(dirname "$dockerfile"); name=$(basename "$dir")
  echo "bench payload of $name" > "$dir/payload.txt"
  sed -i -E -e 's/--mount=type=cache[^ ]* //g' \
    -e "0,/^FROM /s|^(FROM .*)$|\1\nCOPY payload.txt /opt/stack/$name.txt|" "$dockerfile"
  ! grep -q -- '--mount' "$dockerfile" || { echo "bench-stack: a --mount is left in $dockerfile" >&2; exit 1; }
done
cat > "$OUT/stack.json" <<'EOF'
{
  "generator": "tools/debian-stack/bench-stack.sh",
  "images": 3,
  "depth": 2,
  "registry": "127.0.0.1:5000/datahub-debian",
  "base": "datahub-debian-base:bookworm",
  "tag_prefix": "2026.3",
  "root": "datascience-notebook",
  "bfs_order": ["datascience-notebook", "scipy-ml-notebook", "rstudio-notebook"],
  "parent": {"datascience-notebook": null, "scipy-ml-notebook": "datascience-notebook", "rstudio-notebook": "datascience-notebook"},
  "depth_of": {"datascience-notebook": 0, "scipy-ml-notebook": 1, "rstudio-notebook": 1},
  "children": {"datascience-notebook": ["scipy-ml-notebook", "rstudio-notebook"], "scipy-ml-notebook": [], "rstudio-notebook": []},
  "leaves": ["scipy-ml-notebook", "rstudio-notebook"],
  "deepest_leaf": "scipy-ml-notebook",
  "levels": [["datascience-notebook"], ["scipy-ml-notebook", "rstudio-notebook"]]
}
EOF
echo "bench-stack: $OUT (images, stack.json)"
