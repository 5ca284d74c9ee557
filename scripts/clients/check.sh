#!/bin/sh
# Generated clients work against the real server (issue: "a client generated from the
# document (Go and TypeScript) works against the demo").
#
#   scripts/clients/check.sh            start a demo, generate both clients from its
#                                       /api/v1/openapi.json, call it through them
#
# Go: oapi-codegen (types + client) from the Go module proxy; the calls decode every
# answer into the generated types (testdata/go/main.go). TypeScript: openapi-typescript
# types + openapi-fetch from npm, compiled with tsc --strict and run with node; every
# list the document declares is used as an array, so a null list crashes the run as it
# crashed real clients (testdata/ts/main.ts). Needs go, node and npm (npm registry
# reachable); it is not part of `go test ./...` because it downloads generators.
# Exits non-zero on the first failed call.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
OAPI_CODEGEN=github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2
NPM_PKGS="openapi-typescript@7.13.0 openapi-fetch@0.17.0 typescript@5.9.3 @types/node@20.19.43"
tmp=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill -INT "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

go build -o "$tmp/lvzhi" ./cmd/lvzhi
"$tmp/lvzhi" demo --addr 127.0.0.1:0 --data "$tmp/data" >"$tmp/out" 2>"$tmp/err" &
pid=$!
BASE=""
for _ in $(seq 1 180); do
	BASE=$(sed -n 's/^地址 Address: \(http:[^ ]*\)\/$/\1/p' "$tmp/out")
	[ -n "$BASE" ] && break
	sleep 1
done
[ -n "$BASE" ] || { echo "demo did not start" >&2; cat "$tmp/err" >&2; exit 1; }
echo "demo at $BASE"
TOKEN=$("$tmp/lvzhi" user token --data "$tmp/data" --username staff --name clients --days 1 | sed -n 's/^secret: //p')
[ -n "$TOKEN" ] || { echo "could not create a token" >&2; exit 1; }
curl -fsS "$BASE/api/v1/openapi.json" >"$tmp/openapi.json"
export LVZHI_BASE="$BASE" LVZHI_TOKEN="$TOKEN"

echo "== Go client (oapi-codegen)"
mkdir -p "$tmp/go/client" "$tmp/go/cmd"
cp scripts/clients/testdata/go/main.go "$tmp/go/cmd/main.go"
cp "$tmp/openapi.json" "$tmp/go/openapi.json"
cd "$tmp/go"
printf 'module clientcheck\n\ngo 1.26\n' >go.mod
printf 'package: client\ngenerate:\n  models: true\n  client: true\noutput: client/client.gen.go\n' >cfg.yaml
go run "$OAPI_CODEGEN" -config cfg.yaml openapi.json
go mod tidy
go run ./cmd

echo "== TypeScript client (openapi-typescript + openapi-fetch)"
mkdir -p "$tmp/ts"
cd "$tmp/ts"
cp "$root/scripts/clients/testdata/ts/main.ts" .
printf '{"name":"clientcheck","private":true,"type":"module"}\n' >package.json
npm install --silent --no-audit --no-fund $NPM_PKGS
npx openapi-typescript "$tmp/openapi.json" -o schema.d.ts
cat >tsconfig.json <<'JSON'
{"compilerOptions": {"strict": true, "target": "es2022", "module": "nodenext", "moduleResolution": "nodenext",
 "outDir": "out", "skipLibCheck": true}, "files": ["main.ts"]}
JSON
npx tsc -p .
node out/main.js
echo "both generated clients work against the demo"
