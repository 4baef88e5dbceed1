#!/usr/bin/env bash
# After a failed `pulumi up`: if it failed because the fine-tuning job outlived the stack's
# `jobDeadlineMinutes` (the job keeps training in Azure and stays in state), dispatches the deploy
# workflow for the stack again, so the next `up` resumes waiting for the same job. Any other
# failure is left alone.
#
#   resume-after-deadline.sh STACK UP_LOG RESUMES
#
# STACK is what the new run deploys (deploy.yml's `stack` input: a stack name or `all`).
# RESUMES counts the runs before this one that already resumed; at MAX_RESUMES (default 8) it stops
# and says how to go on, so a job stuck in Azure's queue does not dispatch runs forever. Needs
# GH_TOKEN with `actions: write`.
set -euo pipefail

stack="${1:?usage: resume-after-deadline.sh STACK UP_LOG RESUMES}"
log="${2:?usage: resume-after-deadline.sh STACK UP_LOG RESUMES}"
resumes="${3:?usage: resume-after-deadline.sh STACK UP_LOG RESUMES}"
max="${MAX_RESUMES:-8}"
: "${GITHUB_REPOSITORY:?}"

# The FineTuningJob provider's message: "fine-tuning job <id> is still <status> after the
# <n>-minute deadline; Azure keeps training it. Run `pulumi up` again …".
pattern='after the [0-9]+-minute deadline; Azure keeps training it'
if [[ ! -f "$log" ]] || ! grep -Eq "$pattern" "$log"; then
  echo "the up did not stop at the fine-tuning deadline; nothing to resume"
  exit 0
fi
job="$(grep -Eo 'fine-tuning job [^ ]+ is still [a-z_]+' "$log" | tail -1)"
if ((resumes >= max)); then
  echo "::error title=Fine-tune still running after $resumes resumed runs::$job; no further run is started (MAX_RESUMES=$max). Run the deploy workflow for $stack when it has finished, or raise MAX_RESUMES."
  exit 1
fi
gh workflow run deploy.yml --repo "$GITHUB_REPOSITORY" --ref "${GITHUB_REF_NAME:-main}" \
  -f stack="$stack" -f resumes="$((resumes + 1))"
echo "::notice title=Fine-tune continues in Azure::$job; started run $((resumes + 1)) of at most $max to resume waiting for it"
