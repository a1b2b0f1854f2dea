#!/usr/bin/env bash
# Installs the real-world corpus: the WebAssembly binaries shipped in the npm packages pinned by
# scripts/corpus/corpus.tsv, as DIR/<id>.wasm, each checked against its pinned sha256.
#
# Usage: scripts/fetch-corpus.sh [DIR] [--max-bytes N] [--only ID[,ID...]] [--list]
#   DIR          target folder (default .cache/corpus, relative to the repository root)
#   --max-bytes  skip entries larger than N bytes (CI uses a small limit)
#   --only       install just these ids
#   --list       print the ids that would be installed and exit
# CORPUS_MANIFEST=FILE reads another manifest of the same columns (the tests use one).
# Files already present with the right hash are left alone, so a second run takes a second.
# A hash mismatch (a republished package, a broken capture) is reported loudly and the run exits
# with code 1 once the other entries are done.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
manifest="${CORPUS_MANIFEST:-$root/scripts/corpus/corpus.tsv}"

dir="" max_bytes="" only="" list_only=0
while (($#)); do
  case "$1" in
    --max-bytes) max_bytes="$2"; shift 2 ;;
    --max-bytes=*) max_bytes="${1#*=}"; shift ;;
    --only) only="$2"; shift 2 ;;
    --only=*) only="${1#*=}"; shift ;;
    --list) list_only=1; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fetch-corpus: unknown option $1" >&2; exit 2 ;;
    *) dir="$1"; shift ;;
  esac
done
dir="${dir:-$root/.cache/corpus}"
if [[ -n "$max_bytes" && ! "$max_bytes" =~ ^[0-9]+$ ]]; then
  echo "fetch-corpus: --max-bytes needs a number of bytes" >&2; exit 2
fi

selected() {  # id bytes
  [[ -z "$max_bytes" || "$2" -le "$max_bytes" ]] || return 1
  [[ -z "$only" ]] && return 0
  [[ ",$only," == *",$1,"* ]]
}

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

mkdir -p "$dir"
# Downloaded tarballs and unpacked packages live beside the corpus, never in the repository.
work="$dir/.packages"
mkdir -p "$work"
[[ -e "$dir/.gitignore" ]] || printf '*\n' > "$dir/.gitignore"

installed=0 skipped=0 failed=0
while IFS=$'\t' read -r id package version source path bytes sha256 _toolchain _note; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  selected "$id" "$bytes" || continue
  if ((list_only)); then printf '%s\t%s\n' "$id" "$bytes"; continue; fi
  out="$dir/$id.wasm"
  if [[ -f "$out" && "$(sha_of "$out")" == "$sha256" ]]; then
    skipped=$((skipped + 1)); continue
  fi

  echo "fetch-corpus: $id ($package@$version, $bytes bytes)"
  pkgdir="$work/$id-$version"
  tarball="$pkgdir/package.tgz"
  mkdir -p "$pkgdir"
  if [[ ! -s "$tarball" ]]; then
    name="$(cd "$pkgdir" && npm pack "$package@$version" --silent 2>/dev/null | tail -n1)"
    [[ -n "$name" && -s "$pkgdir/$name" ]] || { echo "fetch-corpus: npm pack $package@$version failed" >&2; exit 1; }
    mv "$pkgdir/$name" "$tarball"
  fi

  tmp="$out.tmp.$$"
  case "$source" in
    file)
      tar -xzf "$tarball" -O "package/$path" > "$tmp" \
        || { rm -f "$tmp"; echo "fetch-corpus: $path missing from $package@$version" >&2; exit 1; }
      ;;
    capture)
      rm -rf "$pkgdir/package"
      tar -xzf "$tarball" -C "$pkgdir"
      # Entries whose JavaScript requires other packages get them installed beside it.
      # (require takes a path relative to the current directory only with a leading ./)
      if node -e 'const p=require(require("path").resolve(process.argv[1]));process.exit(Object.keys(p.dependencies||{}).length?0:1)' \
          "$pkgdir/package/package.json"; then
        npm install --prefix "$pkgdir/package" --omit=dev --ignore-scripts --no-audit --no-fund --silent
      fi
      node "$root/scripts/corpus/capture-wasm.mjs" "$pkgdir/package/$path" "$tmp" >/dev/null \
        || { rm -f "$tmp"; echo "fetch-corpus: capturing $id failed" >&2; exit 1; }
      ;;
    *) echo "fetch-corpus: $id: unknown source '$source'" >&2; exit 1 ;;
  esac

  got="$(sha_of "$tmp")"
  if [[ "$got" != "$sha256" ]]; then
    echo "fetch-corpus: SHA-256 MISMATCH for $id ($package@$version $path)" >&2
    echo "  expected $sha256" >&2
    echo "  got      $got ($(stat -c %s "$tmp") bytes)" >&2
    rm -f "$tmp"
    failed=$((failed + 1))
    continue
  fi
  mv "$tmp" "$out"
  installed=$((installed + 1))
done < "$manifest"

((list_only)) && exit 0
echo "fetch-corpus: $installed installed, $skipped already present, $failed failed -> $dir"
((failed == 0)) || exit 1
