#!/usr/bin/env bash
# Fails fast when a stack's fine-tuning deadline cannot fit in the job's timeout.
#
#   check-deadline.sh STACK JOB_TIMEOUT_MINUTES
#
# `pulumi up` waits for the fine-tuning job up to `jobDeadlineMinutes` and then fails, keeping the
# job in state; the job keeps training in Azure and the next `up` resumes waiting for it. That only
# works if the deadline fires before GitHub kills the runner: a killed `up` leaves a pending
# operation and a stale lock instead of a clean failure. The rest of an `up` (account, base
# deployment, upload and file processing, the tuned deployment) needs time too:
# DEADLINE_MARGIN_MINUTES (default 15).
#
# A longer job timeout does not help past about 6 hours, even on a self-hosted runner (whose jobs
# may run 5 days): the job's OIDC token request credential (ACTIONS_ID_TOKEN_REQUEST_TOKEN) was
# observed to expire about 6 h after the job started, and with it every new Azure token. So the
# usable time is the smaller of the job timeout and OIDC_CEILING_MINUTES (default 360); a longer
# fine-tune is the deadline-and-resume case: `up` stops waiting, the next run resumes the job.
set -euo pipefail

stack="${1:?usage: check-deadline.sh STACK JOB_TIMEOUT_MINUTES}"
timeout_minutes="${2:?usage: check-deadline.sh STACK JOB_TIMEOUT_MINUTES}"
margin="${DEADLINE_MARGIN_MINUTES:-15}"
key="jobDeadlineMinutes"
stack_file="Pulumi.$stack.yaml"

# The stack file quotes numbers ("330"); the project default is a plain integer under the key.
deadline="$(sed -n "s/^[[:space:]]*[A-Za-z0-9_-]*:$key:[[:space:]]*\"\{0,1\}\([0-9]*\)\"\{0,1\}[[:space:]]*$/\1/p" "$stack_file" 2>/dev/null | head -1)"
source_of="$stack_file"
if [[ -z "$deadline" ]]; then
  deadline="$(awk -v key="$key" '
    $1 == key":" { found = 1; next }
    found && $1 == "default:" { gsub(/"/, "", $2); print $2; exit }
    found && /^  [A-Za-z]/ { exit }
  ' Pulumi.yaml)"
  source_of="Pulumi.yaml (default)"
fi
[[ "$deadline" =~ ^[0-9]+$ ]] || { echo "::error::could not read $key for stack $stack from $stack_file or Pulumi.yaml"; exit 1; }

ceiling="${OIDC_CEILING_MINUTES:-360}"
limit="$timeout_minutes" bound="the job timeout of $timeout_minutes min"
if ((ceiling < timeout_minutes)); then
  limit="$ceiling" bound="GitHub's OIDC ceiling of about $ceiling min after the job starts"
fi

if ((deadline + margin > limit)); then
  echo "::error title=Fine-tuning deadline too long::$key is $deadline min ($source_of); with ${margin} min for the rest of the up it must be at most $((limit - margin)) to end before $bound. Lower it (pulumi config set $key $((limit - margin)) --stack $stack); a longer fine-tune resumes in the next run."
  exit 1
fi
echo "$key $deadline min ($source_of) + ${margin} min margin fits $bound"
