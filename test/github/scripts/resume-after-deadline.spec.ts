import { expect } from "chai";
import { FakeRunner } from "./support";

// The FineTuningJob provider's deadline error, as `pulumi up` prints it.
const DEADLINE_LOG = `Updating (prod):
    azure-openai:FineTuningJob ft-prod-tuned-job creating failed error: fine-tuning job ftjob-abc123 is still running after the 300-minute deadline; Azure keeps training it. Run \`pulumi up\` again to keep waiting for this same job, or \`pulumi destroy\` to cancel and delete it.
Resources:
    3 unchanged
`;
const ENV = { GITHUB_REPOSITORY: "contoso/ml", GITHUB_REF_NAME: "main" };

describe(".github/scripts/resume-after-deadline.sh", () => {
  let runner: FakeRunner;
  beforeEach(() => (runner = new FakeRunner()));
  afterEach(() => runner.remove());

  it("dispatches the next deploy of the stack when the fine-tune outlived the deadline", () => {
    const log = runner.file("up.log", DEADLINE_LOG);
    const result = runner.run("resume-after-deadline.sh", ["prod", log, "2"], ENV);
    expect(result.status).to.equal(0);
    expect(result.gh).to.deep.equal([
      [
        "workflow",
        "run",
        "deploy.yml",
        "--repo",
        "contoso/ml",
        "--ref",
        "main",
        "-f",
        "stack=prod",
        "-f",
        "resumes=3",
      ],
    ]);
    expect(result.stdout.trim()).to.equal(
      "::notice title=Fine-tune continues in Azure::fine-tuning job ftjob-abc123 is still running; started run 3 of at most 8 to resume waiting for it",
    );
  });

  it("stops resuming after MAX_RESUMES runs and says how to go on", () => {
    const log = runner.file("up.log", DEADLINE_LOG);
    const result = runner.run("resume-after-deadline.sh", ["prod", log, "2"], {
      ...ENV,
      MAX_RESUMES: "2",
    });
    expect([result.status, result.gh]).to.deep.equal([1, []]);
    expect(result.stdout.trim()).to.equal(
      "::error title=Fine-tune still running after 2 resumed runs::fine-tuning job ftjob-abc123 is still running; no further run is started (MAX_RESUMES=2). Run the deploy workflow for prod when it has finished, or raise MAX_RESUMES.",
    );
  });

  it("leaves any other failure alone", () => {
    const log = runner.file("up.log", "error: AuthorizationFailed\n");
    const result = runner.run("resume-after-deadline.sh", ["prod", log, "0"], ENV);
    expect([result.status, result.gh, result.stdout.trim()]).to.deep.equal([
      0,
      [],
      "the up did not stop at the fine-tuning deadline; nothing to resume",
    ]);
  });
});
