#!/usr/bin/env bash
# Terraform checks of terraform/ (the site module) and terraform/bootstrap/ by Terraform itself:
#   terraform fmt -check -recursive, then for each root module
#   terraform init -backend=false, terraform validate, terraform test (mocked providers: no AWS calls).
#
# Runs whenever a `terraform` CLI is on PATH. Without one it says plainly that Terraform was NOT checked
# (a ::warning::, not a pass); TF_CHECK_REQUIRED=1 turns that into a failure.
#
# Providers come from, in order:
#   - $TF_PLUGIN_DIR, when set (a filesystem mirror: <dir>/registry.terraform.io/hashicorp/aws/<ver>/<os_arch>/);
#   - the first of these that holds hashicorp/aws: /opt/tf-plugins, ~/.terraform.d/plugins,
#     ~/.local/share/terraform/plugins, /usr/local/share/terraform/plugins, /usr/share/terraform/plugins;
#   - otherwise the registry (network).
# The committed .terraform.lock.hcl files are honoured, so init also checks the provider against them.
# TF_AWS_PROVIDER_VERSION (e.g. "~> 6.0" or "5.100.0") instead tests against another provider version of
# the allowed range: an override file pins it and init runs with -upgrade (CI's matrix uses this).
# TF_EXPECT_AWS_PROVIDER (e.g. "5.100.0" or "6.") fails the check unless the provider version in use
# starts with it, so a matrix leg cannot silently test another version than its name says.
#
# Nothing is written to the checkout: the modules are copied to a temporary folder that a trap removes.
# Every terraform command is bounded by TF_CHECK_TIMEOUT seconds (default 300).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v terraform >/dev/null 2>&1; then
  message="Terraform was NOT checked: no terraform CLI on PATH, so fmt, validate and the terraform/ tests did not run."
  if [ "${TF_CHECK_REQUIRED:-0}" = 1 ]; then
    echo "::error::$message" >&2
    exit 1
  fi
  echo "::warning::$message Install Terraform >= 1.11 to check it (this is not a pass)."
  exit 0
fi

timeout_seconds=${TF_CHECK_TIMEOUT:-300}
case "$timeout_seconds" in '' | *[!0-9]*)
  echo "::error::TF_CHECK_TIMEOUT must be a whole number of seconds, not '$timeout_seconds'." >&2
  exit 1
  ;;
esac

has_aws_provider() {
  [ -d "$1/registry.terraform.io/hashicorp/aws" ]
}

plugin_dir=""
if [ -n "${TF_PLUGIN_DIR:-}" ]; then
  if ! has_aws_provider "$TF_PLUGIN_DIR"; then
    echo "::error::TF_PLUGIN_DIR=$TF_PLUGIN_DIR holds no registry.terraform.io/hashicorp/aws provider." >&2
    exit 1
  fi
  plugin_dir=$TF_PLUGIN_DIR
else
  for candidate in /opt/tf-plugins "${HOME:-/nonexistent}/.terraform.d/plugins" \
    "${HOME:-/nonexistent}/.local/share/terraform/plugins" /usr/local/share/terraform/plugins \
    /usr/share/terraform/plugins; do
    if has_aws_provider "$candidate"; then
      plugin_dir=$candidate
      break
    fi
  done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/parlai-terraform-check.XXXXXX")
# The temp copy (with its .terraform/ folders and any lock file init rewrites) goes, whatever happens.
trap 'rm -rf -- "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
# Keep terraform from reading or writing a provider cache outside the temp folder.
unset TF_PLUGIN_CACHE_DIR
export TF_DATA_DIR=.terraform

# GNU coreutils' timeout (gtimeout where Homebrew installs it on macOS).
timeout_cmd=$(command -v timeout || command -v gtimeout || true)
if [ -z "$timeout_cmd" ]; then
  echo "::warning::No timeout command (GNU coreutils): terraform commands run without a time bound."
fi

tf() {
  if [ -n "$timeout_cmd" ]; then
    # --kill-after: a terraform that ignores SIGTERM is killed outright.
    "$timeout_cmd" --kill-after=10 "$timeout_seconds" terraform "$@"
  else
    terraform "$@"
  fi
}

# sed reads all of it: `head -n 1` would close the pipe early, and terraform's SIGPIPE fails the script
# under pipefail now and then.
tf_version=$(terraform version | sed -n '1s/^Terraform v\([0-9][0-9.]*\).*/\1/p')
echo "== terraform ${tf_version:-(unknown version)}"
# The module needs 1.10 (S3 lock files); its tests need 1.11 (override_during in mock providers).
IFS=. read -r tf_major tf_minor _ <<<"${tf_version:-0.0.0}"
if [ "${tf_major:-0}" -lt 1 ] || { [ "${tf_major:-0}" -eq 1 ] && [ "${tf_minor:-0}" -lt 11 ]; }; then
  echo "::error::Terraform ${tf_version:-of unknown version} is too old: the tests need Terraform 1.11 or later." >&2
  exit 1
fi
if [ -n "$plugin_dir" ]; then
  echo "== providers from the filesystem mirror $plugin_dir (no registry access)"
else
  echo "== providers from the registry (no local plugin directory found; set TF_PLUGIN_DIR to use one)"
fi

echo "== terraform fmt -check -recursive terraform/"
if ! tf fmt -check -recursive -diff terraform; then
  echo "::error::terraform fmt found unformatted files (above): run 'terraform fmt -recursive terraform'." >&2
  exit 1
fi

# The modules only: no .terraform/ folders (providers of a local init can be hundreds of MB) and no state
# (bootstrap/ keeps its local terraform.tfstate next to the code).
tar -C . --exclude=.terraform --exclude='*.tfstate' --exclude='*.tfstate.*' --exclude='*.tfplan' -cf - terraform |
  tar -C "$work" -xf -

init_args=(init -backend=false -input=false -no-color)
[ -n "$plugin_dir" ] && init_args+=("-plugin-dir=$plugin_dir")

for module in terraform terraform/bootstrap; do
  dir="$work/$module"
  echo "== $module: init, validate, test"
  if [ -n "${TF_AWS_PROVIDER_VERSION:-}" ]; then
    # Override files replace the aws entry of required_providers: the module is checked against exactly
    # this version (it must lie inside the module's own range to mean anything).
    printf 'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "%s"\n    }\n  }\n}\n' \
      "$TF_AWS_PROVIDER_VERSION" >"$dir/ci_provider_override.tf"
    (cd "$dir" && tf "${init_args[@]}" -upgrade) || {
      echo "::error::$module: terraform init failed with provider $TF_AWS_PROVIDER_VERSION." >&2
      exit 1
    }
  else
    (cd "$dir" && tf "${init_args[@]}") || {
      echo "::error::$module: terraform init failed (is the provider in .terraform.lock.hcl available?)." >&2
      exit 1
    }
  fi
  in_use=$(sed -n '/hashicorp\/aws/,/}/s/^ *version *= *"\(.*\)"/\1/p' "$dir/.terraform.lock.hcl")
  echo "   aws provider in use: $in_use"
  if [ -n "${TF_EXPECT_AWS_PROVIDER:-}" ] && [ "${in_use#"$TF_EXPECT_AWS_PROVIDER"}" = "$in_use" ]; then
    echo "::error::$module: aws provider $in_use is in use, expected $TF_EXPECT_AWS_PROVIDER*." >&2
    exit 1
  fi
  (cd "$dir" && tf validate -no-color) || {
    echo "::error::$module: terraform validate failed." >&2
    exit 1
  }
  (cd "$dir" && tf test -no-color) | tee "$work/test.log" || {
    echo "::error::$module: terraform test failed." >&2
    exit 1
  }
  # A module whose tests vanished must not pass silently.
  if grep -q ' 0 passed, 0 failed' "$work/test.log"; then
    echo "::error::$module: terraform test found no tests (expected tests/*.tftest.hcl)." >&2
    exit 1
  fi
done

echo "== Terraform checked: fmt, validate and tests passed for terraform/ and terraform/bootstrap/"
