import { expect } from "chai";
import { validateEnvironment } from "../../config";
import { itRejects, run } from "../support/validatorRun";

describe("config/environment", () => {
  it("names the environment after the stack, not production, purging on destroy", () => {
    expect(run({}, (r) => validateEnvironment(r, "dev"))).to.deep.equal({
      value: {
        environment: "dev",
        production: false,
        purgeOnDestroy: true,
        tags: {
          environment: "dev",
          "managed-by": "pulumi",
          "pulumi-project": "azure-openai-finetune",
        },
      },
      problems: [],
    });
  });

  it("keeps the soft-deleted account of a production stack, whatever the stack is called", () => {
    const { value } = run({ production: "true" }, (r) => validateEnvironment(r, "live-eu"));
    expect([value.production, value.purgeOnDestroy]).to.deep.equal([true, false]);
  });

  it("purges a stack named prod that is not marked production", () => {
    expect(run({}, (r) => validateEnvironment(r, "prod")).value.purgeOnDestroy).to.equal(true);
  });

  it("lets purgeOnDestroy override the production default", () => {
    const { value } = run({ production: "true", purgeOnDestroy: "true" }, (r) =>
      validateEnvironment(r, "prod"),
    );
    expect(value.purgeOnDestroy).to.equal(true);
  });

  it("puts the owner and user tags beside the program's own tags", () => {
    const { value } = run({ owner: "ml", tags: '{"cost-center":"42","environment":"x"}' }, (r) =>
      validateEnvironment(r, "dev"),
    );
    expect(value.tags).to.deep.equal({
      "cost-center": "42",
      environment: "dev",
      "managed-by": "pulumi",
      "pulumi-project": "azure-openai-finetune",
      owner: "ml",
    });
  });

  const cases: [string, Record<string, string>, string][] = [
    [
      "an environment with capitals",
      { environment: "Dev" },
      '`azure-openai-finetune:environment` is "Dev"; use 1-16 lowercase letters, digits or hyphens (it becomes part of resource names); set it explicitly when the stack name does not fit',
    ],
    [
      "a production flag that is not boolean",
      { production: "yes" },
      '`azure-openai-finetune:production` is "yes"; use true or false',
    ],
    [
      "tags that are not a map",
      { tags: '["a"]' },
      '`azure-openai-finetune:tags` is "[\\"a\\"]"; use a map of string tag names to string values',
    ],
  ];
  itRejects(cases, (r) => validateEnvironment(r, "dev"));
});
