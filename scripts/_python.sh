# Sourced by the setup scripts: pick a Python 3.11 and make a virtual environment if missing.
# usage: ensure_venv DIR
find_python() {
  for c in python3.11 python3; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      echo "$c"; return 0
    fi
  done
  echo "Python 3.11 is required (bpy wheels exist only for 3.11); install it and retry" >&2
  return 1
}
ensure_venv() {
  local dir="$1"
  if [ ! -x "$dir/bin/python" ]; then
    "$(find_python)" -m venv "$dir"
  fi
}
