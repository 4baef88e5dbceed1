import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REPO_ROOT = join(__dirname, "..", "..", "..");

/**
 * Where a fake command records its calls: arguments separated by \x1f, calls by \x1e (arguments
 * such as an issue body span lines).
 */
const RECORDER = `{ printf '%s\\x1f' "$@"; printf '\\x1e'; } >>"$FAKE_CALLS"`;

/**
 * `gh` as the workflow scripts use it: `issue list` answers $FAKE_GH_ISSUES (JSON), `issue create`
 * answers an issue URL, everything else succeeds silently.
 */
const FAKE_GH = `#!/usr/bin/env bash
${RECORDER.replace("$FAKE_CALLS", "$FAKE_CALLS.gh")}
case "$1 $2" in
  "issue list") printf '%s\\n' "\${FAKE_GH_ISSUES:-[]}" ;;
  "issue create") echo "https://github.com/contoso/ml/issues/42" ;;
esac
`;

/** `curl` answering GitHub's OIDC token endpoint with token-1, token-2, … */
const FAKE_CURL = `#!/usr/bin/env bash
${RECORDER.replace("$FAKE_CALLS", "$FAKE_CALLS.curl")}
[[ -n "\${FAKE_CURL_FAIL:-}" ]] && exit 22
n=$(( $(cat "$FAKE_CALLS.count" 2>/dev/null || echo 0) + 1 ))
echo "$n" >"$FAKE_CALLS.count"
printf '{"count":1,"value":"token-%s"}' "$n"
`;

/** What one run of a workflow script left behind. */
export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Lines the script appended to $GITHUB_ENV. */
  env: string[];
  /** Lines the script appended to $GITHUB_OUTPUT. */
  output: string[];
  /** Argument lists of each `gh` call. */
  gh: string[][];
  /** Argument lists of each `curl` call. */
  curl: string[][];
}

/** A scratch runner: temp dir with fake `gh`/`curl` on PATH and empty $GITHUB_ENV/$GITHUB_OUTPUT. */
export class FakeRunner {
  readonly dir = mkdtempSync(join(tmpdir(), "gh-scripts-"));
  private readonly calls = join(this.dir, "calls");

  constructor() {
    writeFileSync(join(this.dir, "gh"), FAKE_GH);
    writeFileSync(join(this.dir, "curl"), FAKE_CURL);
    chmodSync(join(this.dir, "gh"), 0o755);
    chmodSync(join(this.dir, "curl"), 0o755);
  }

  /** Writes a file into the scratch dir and returns its path. */
  file(name: string, content: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  /** Runs `.github/scripts/<script>` with only the given environment (plus PATH and the fakes). */
  run(
    script: string,
    args: string[],
    env: Record<string, string> = {},
    cwd = REPO_ROOT,
  ): ScriptRun {
    for (const f of ["github-env", "github-output"]) writeFileSync(join(this.dir, f), "");
    for (const f of ["gh", "curl", "count"]) rmSync(`${this.calls}.${f}`, { force: true });
    const result = spawnSync("bash", [join(REPO_ROOT, ".github", "scripts", script), ...args], {
      cwd,
      encoding: "utf8",
      timeout: 30_000,
      env: {
        PATH: `${this.dir}:${process.env.PATH}`,
        HOME: this.dir,
        GITHUB_ENV: join(this.dir, "github-env"),
        GITHUB_OUTPUT: join(this.dir, "github-output"),
        RUNNER_TEMP: this.dir,
        FAKE_CALLS: this.calls,
        ...env,
      },
    });
    return {
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      env: lines(join(this.dir, "github-env")),
      output: lines(join(this.dir, "github-output")),
      gh: calls(`${this.calls}.gh`),
      curl: calls(`${this.calls}.curl`),
    };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function lines(path: string): string[] {
  return readFileSync(path, "utf8").split("\n").filter(Boolean);
}

function calls(path: string): string[][] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\x1e")
    .filter(Boolean)
    .map((call) => call.split("\x1f").slice(0, -1));
}
