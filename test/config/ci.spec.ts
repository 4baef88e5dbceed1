import { expect } from "chai";
import { validateCi } from "../../config";
import { itRejects, run } from "../support/validatorRun";

describe("config/ci", () => {
  it("creates no CI identity by default and federates the environment's name", () => {
    expect(run({}, (r) => validateCi(r, "dev"))).to.deep.equal({
      value: { ciRepository: undefined, ciBranch: "main", ciEnvironments: ["dev"] },
      problems: [],
    });
  });

  it("uses the listed GitHub environments", () => {
    const { value } = run(
      { ciRepository: "contoso/ml", ciEnvironments: '["dev","staging"]' },
      (r) => validateCi(r, "dev"),
    );
    expect(value).to.deep.equal({
      ciRepository: "contoso/ml",
      ciBranch: "main",
      ciEnvironments: ["dev", "staging"],
    });
  });

  const cases: [string, Record<string, string>, string][] = [
    [
      "a repository without owner",
      { ciRepository: "fine-tuning" },
      '`azure-openai-finetune:ciRepository` is "fine-tuning"; use the GitHub "owner/repository" form, e.g. contoso/ml-platform',
    ],
    [
      "a branch with a space",
      { ciBranch: "my branch" },
      "`azure-openai-finetune:ciBranch` is \"my branch\"; use a branch name of letters, digits, '.', '_', '/' or '-'",
    ],
    [
      "an environment with a colon",
      { ciEnvironments: '["prod:eu"]' },
      "`azure-openai-finetune:ciEnvironments` is \"prod:eu\"; use GitHub environment names of letters, digits, '.', '_', '/' or '-'",
    ],
  ];
  itRejects(cases, (r) => validateCi(r, "dev"));
});
