#!/usr/bin/env bash
# Builds ParlAI's whole website — the Markdown site and the Sphinx docs under /docs — from a ParlAI checkout,
# with the steps of ParlAI's website/Makefile, into <checkout>/website/build/.
#
#   presets/parlai/build-site.sh [PARLAI_CHECKOUT]          (default: the current directory)
#
# Environment:
#   PYTHON=python3   the interpreter that has the requirements installed (presets/parlai/requirements.txt for
#                    the light build; ParlAI's requirements.txt plus torch for DOCS=faithful)
#   DOCS=light       the docs built without torch: the heavy modules (torch, transformers, scikit-learn, scipy…)
#                    mocked by mock_heavy.py around the seven generate_*.py scripts and sphinx-build
#   DOCS=faithful    the escape hatch: no mocks at all, as ParlAI's own Makefile runs (needs the real
#                    requirements and torch installed for PYTHON)
#   DOCS=none        the Markdown website only (no docs/ folder)
#   CLEAN=1          also remove docs/build first (Sphinx otherwise rebuilds only what changed)
#
# PYTHONHASHSEED is set to 0 (the "Choices:" lists come from sets and change order from run to run otherwise),
# the checkout is put first on PYTHONPATH (as `pip install -e .` would), and pygments is hidden from
# website/generate.py, so the website renders code blocks as <pre class="highlight"> as parl.ai does (with
# pygments, 35 pages gain token spans no stylesheet of ParlAI's styles). The checkout must be a git repository:
# generate.py asks git for its root and Sphinx puts `git rev-parse HEAD` into the [source] links.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mock="$here/mock_heavy.py"
checkout=$(cd "${1:-.}" && pwd)
PYTHON=${PYTHON:-python3}
DOCS=${DOCS:-light}
case "$DOCS" in
  light | faithful | none) ;;
  *)
    echo "build-site.sh: DOCS must be light, faithful or none (not '$DOCS')" >&2
    exit 2
    ;;
esac
for required in website/generate.py website/postprocess_docs.py website/static docs/source/conf.py; do
  if [ ! -e "$checkout/$required" ]; then
    echo "build-site.sh: $checkout is not a ParlAI checkout: $required is missing" >&2
    exit 2
  fi
done
if ! git -C "$checkout" rev-parse --show-toplevel >/dev/null 2>&1; then
  echo "build-site.sh: $checkout is not a git repository (website/generate.py and the docs' source links need git)" >&2
  exit 2
fi

export PYTHONHASHSEED=0
export PYTHONPATH="$checkout${PYTHONPATH:+:$PYTHONPATH}"
# Byte-compiled files would land in the checkout (and in the vendored packages); nothing needs them.
export PYTHONDONTWRITEBYTECODE=1

SECONDS=0
step_started=0
step() {
  echo "== build-site.sh: $*" >&2
  step_started=$SECONDS
}
done_step() {
  echo "== build-site.sh: ... $((SECONDS - step_started)) s" >&2
}

# Under DOCS=light the docs' Python runs through mock_heavy.py; otherwise directly.
docs_python() {
  if [ "$DOCS" = light ]; then
    "$PYTHON" "$mock" "$@"
  else
    "$PYTHON" "$@"
  fi
}

cd "$checkout/website"
step "website: generate.py (DOCS=$DOCS, $("$PYTHON" --version 2>&1))"
rm -rf build
"$PYTHON" "$mock" --no-mock --hide pygments generate.py
done_step

if [ "$DOCS" != none ]; then
  cd "$checkout/docs"
  [ "${CLEAN:-}" = 1 ] && rm -rf build
  step "docs: the seven generate_*.py scripts"
  rm -f source/agent_refs/*
  for script in generate_agent_list generate_task_list generate_zoo_list generate_mutator_list \
    generate_metric_list generate_cli generate_opt_presets; do
    (cd source && docs_python "$script.py")
  done
  done_step

  step "docs: sphinx-build -M html source build -W --keep-going"
  if [ "$DOCS" = light ]; then
    "$PYTHON" "$mock" sphinx-build -M html source build -W --keep-going
  else
    "$PYTHON" -m sphinx -M html source build -W --keep-going
  fi
  done_step

  cd "$checkout/website"
  cp -a ../docs/build/html build/docs
  # website/Makefile copies this font for old browsers; sphinx_rtd_theme >= 1.0 no longer ships it.
  eot=build/docs/_static/fonts/RobotoSlab/roboto-slab-v7-regular.eot
  if [ -f "$eot" ]; then cp "$eot" build/docs/_static/fonts/RobotoSlab/roboto-slab.eot; fi
fi

cd "$checkout/website"
cp -a static build/
if [ "$DOCS" != none ]; then
  step "postprocess_docs.py"
  "$PYTHON" postprocess_docs.py >/dev/null
  done_step
fi
echo "== build-site.sh: built $(find build -type f | wc -l) files in $checkout/website/build in ${SECONDS} s" >&2
