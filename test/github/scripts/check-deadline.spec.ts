import { expect } from "chai";
import { FakeRunner } from "./support";

const PROJECT = `name: azure-openai-finetune
config:
  jobDeadlineMinutes:
    type: integer
    default: 240
  maxBilledTokens:
    type: integer
`;

describe(".github/scripts/check-deadline.sh", () => {
  let runner: FakeRunner;
  beforeEach(() => {
    runner = new FakeRunner();
    runner.file("Pulumi.yaml", PROJECT);
  });
  afterEach(() => runner.remove());

  const check = (
    stackFile: string | undefined,
    timeout: string,
    env: Record<string, string> = {},
  ) => {
    if (stackFile !== undefined) runner.file("Pulumi.prod.yaml", stackFile);
    return runner.run("check-deadline.sh", ["prod", timeout], env, runner.dir);
  };

  it("accepts the shipped stacks under the 350-minute job timeout", () => {
    for (const stack of ["dev", "prod"]) {
      const result = runner.run("check-deadline.sh", [stack, "350"]);
      expect(result.status, result.stdout).to.equal(0);
    }
  });

  it("reads the stack's quoted deadline and says it fits", () => {
    const result = check('config:\n  azure-openai-finetune:jobDeadlineMinutes: "300"\n', "350");
    expect([result.status, result.stdout.trim()]).to.deep.equal([
      0,
      "jobDeadlineMinutes 300 min (Pulumi.prod.yaml) + 15 min margin fits the job timeout of 350 min",
    ]);
  });

  it("falls back to the project default when the stack sets none", () => {
    const result = check("config:\n  azure-openai-finetune:suffix: travel\n", "350");
    expect(result.stdout.trim()).to.equal(
      "jobDeadlineMinutes 240 min (Pulumi.yaml (default)) + 15 min margin fits the job timeout of 350 min",
    );
  });

  it("fails with the largest deadline that fits when the deadline outlasts the job", () => {
    const result = check('config:\n  azure-openai-finetune:jobDeadlineMinutes: "340"\n', "350");
    expect([result.status, result.stdout.trim()]).to.deep.equal([
      1,
      "::error title=Fine-tuning deadline too long::jobDeadlineMinutes is 340 min (Pulumi.prod.yaml); with 15 min for the rest of the up it must be at most 335 to end before the job timeout of 350 min. Lower it (pulumi config set jobDeadlineMinutes 335 --stack prod); a longer fine-tune resumes in the next run.",
    ]);
  });

  it("holds a self-hosted runner's longer timeout to GitHub's OIDC ceiling", () => {
    const result = check('config:\n  azure-openai-finetune:jobDeadlineMinutes: "600"\n', "1440");
    expect([result.status, result.stdout.trim()]).to.deep.equal([
      1,
      "::error title=Fine-tuning deadline too long::jobDeadlineMinutes is 600 min (Pulumi.prod.yaml); with 15 min for the rest of the up it must be at most 345 to end before GitHub's OIDC ceiling of about 360 min after the job starts. Lower it (pulumi config set jobDeadlineMinutes 345 --stack prod); a longer fine-tune resumes in the next run.",
    ]);
  });

  it("says which file it could not read a deadline from", () => {
    runner.file("Pulumi.yaml", "name: x\n");
    const result = check("config: {}\n", "350");
    expect([result.status, result.stdout.trim()]).to.deep.equal([
      1,
      "::error::could not read jobDeadlineMinutes for stack prod from Pulumi.prod.yaml or Pulumi.yaml",
    ]);
  });
});
