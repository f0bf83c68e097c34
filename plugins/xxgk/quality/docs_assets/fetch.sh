#!/usr/bin/env bash
# Re-vendor the browser assets of the Great Expectations Data Docs from the npm registry
# (`make docs-assets`). The versions are the ones GX 1.x's page templates load from CDNs;
# the vega packages are loaded there by major version only (vega@5, vega-lite@5,
# vega-embed@6), so npm picks the newest of that major and the folder names record which.
# Each package keeps its license file; NOTICE (repository root) lists them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# pkg SPEC → unpacked into $work/<name>; echoes the resolved version
unpack() {
    local spec=$1 name=$2 tgz
    tgz="$(cd "$work" && npm pack --silent "$spec" | tail -1)"
    mkdir -p "$work/$name" && tar xzf "$work/$tgz" -C "$work/$name" --strip-components=1
    node -p "require('$work/$name/package.json').version"
}

# take NAME DEST FILE... : copy package files (paths inside the package) under DEST
take() {
    local name=$1 dest=$2 file
    shift 2
    for file in "$@"; do
        install -D -m 644 "$work/$name/$file" "$here/$dest/$file"
    done
    local license
    for license in LICENSE LICENSE.txt LICENSE.md; do
        if [[ -f "$work/$name/$license" ]]; then
            install -m 644 "$work/$name/$license" "$here/$dest/LICENSE"
        fi
    done
}

find "$here" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +

v=$(unpack jquery@3.7.1 jquery)
take jquery "jquery-$v" dist/jquery.min.js
v=$(unpack bootstrap@4.3.1 bootstrap)
take bootstrap "bootstrap-$v" dist/css/bootstrap.min.css dist/js/bootstrap.min.js
v=$(unpack popper.js@1.12.9 popper)
take popper "popper.js-$v" dist/umd/popper.min.js
v=$(unpack bootstrap-table@1.19.1 bt1191)
take bt1191 "bootstrap-table-$v" dist/bootstrap-table.min.css dist/bootstrap-table.min.js \
    dist/extensions/filter-control/bootstrap-table-filter-control.min.js
# GX links the filter-control stylesheet of 1.19.0 (both .css and .min.css): the minified one
v=$(unpack bootstrap-table@1.19.0 bt1190)
take bt1190 "bootstrap-table-$v" dist/extensions/filter-control/bootstrap-table-filter-control.min.css
v=$(unpack bootstrap-datepicker@1.9.0 datepicker)
take datepicker "bootstrap-datepicker-$v" \
    dist/css/bootstrap-datepicker.min.css dist/js/bootstrap-datepicker.min.js
# GX links the unminified bootstrap-prefers-dark.css (880 kB with its inline source map):
# the package's minified build of the same stylesheet is 150 kB
v=$(unpack @forevolve/bootstrap-dark@1.1.0 dark)
take dark "bootstrap-dark-$v" dist/css/bootstrap-prefers-dark.min.css
v=$(unpack vega@5 vega)
take vega "vega-$v" build/vega.min.js
v=$(unpack vega-lite@5 vegalite)
take vegalite "vega-lite-$v" build/vega-lite.min.js
v=$(unpack vega-embed@6 vegaembed)
take vegaembed "vega-embed-$v" build/vega-embed.min.js
v=$(unpack @fortawesome/fontawesome-free@6.6.0 fa)
take fa "fontawesome-free-$v" css/all.min.css webfonts/fa-brands-400.woff2 \
    webfonts/fa-regular-400.woff2 webfonts/fa-solid-900.woff2 webfonts/fa-v4compatibility.woff2
# woff2 only: every browser that runs Bootstrap 4 reads it, so the TrueType fallbacks the
# stylesheet also names (700 kB) would never be fetched; drop them from the stylesheet
sed -i 's/,url(\.\.\/webfonts\/[a-z0-9-]*\.ttf) format("truetype")//g' \
    "$here/fontawesome-free-$v/css/all.min.css"

# the pages pin two scripts by Subresource Integrity: the vendored files must be those bytes
check() {
    local file=$1 want=$2 got
    got="sha384-$(openssl dgst -sha384 -binary "$here/$file" | base64 -w0)"
    [[ $got == "$want" ]] || { echo "$file: $got, GX pins $want" >&2; exit 1; }
}
check popper.js-1.12.9/dist/umd/popper.min.js \
    sha384-ApNbgh9B+Y1QKtv3Rn7W3mgPxhU9K/ScQsAP7hUibX39j7fakFPskvXusvfa0b4Q
check bootstrap-4.3.1/dist/js/bootstrap.min.js \
    sha384-JjSmVgyd0p3pXB1rRibZUAYoIIy6OrQ6VrjIEaFf/nJGzIxFDsf4x0xIM+B07jRM
du -sh "$here"
