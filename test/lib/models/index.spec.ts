import { expect } from "chai";
import { FINE_TUNABLE_MODEL_IDS, FINE_TUNING_REGIONS, resolveBaseModel } from "../../lib/models";

describe("lib/models", () => {
  it("lists the fine-tunable base models by dated id", () => {
    expect(FINE_TUNABLE_MODEL_IDS).to.deep.equal([
      "gpt-4o-2024-08-06",
      "gpt-4o-mini-2024-07-18",
      "gpt-4.1-2025-04-14",
      "gpt-4.1-mini-2025-04-14",
      "gpt-4.1-nano-2025-04-14",
      "o4-mini-2025-04-16",
    ]);
  });

  it("resolves dated ids, aliases, fine-tuned ids and checkpoints to the base", () => {
    expect([
      resolveBaseModel("gpt-4o-2024-08-06"),
      resolveBaseModel("gpt-4o"),
      resolveBaseModel("gpt-4o-mini"),
      resolveBaseModel("gpt-4.1-mini-2025-04-14.ft-0e208cf33a6a466994aff31a08aba678"),
      resolveBaseModel("gpt-4o-2024-08-06.ft-abc123:ckpt-step-10"),
    ]).to.deep.equal([
      "gpt-4o-2024-08-06",
      "gpt-4o-2024-08-06",
      "gpt-4o-mini-2024-07-18",
      "gpt-4.1-mini-2025-04-14",
      "gpt-4o-2024-08-06",
    ]);
  });

  it("returns undefined for models that cannot be fine-tuned", () => {
    expect([
      resolveBaseModel("gpt-5"),
      resolveBaseModel("gpt-35-turbo"),
      resolveBaseModel(""),
      resolveBaseModel("toString"),
    ]).to.deep.equal([undefined, undefined, undefined, undefined]);
  });

  it("includes every Standard training region among the fine-tuning regions", () => {
    expect(FINE_TUNING_REGIONS).to.include.members(["eastus2", "northcentralus", "swedencentral"]);
    expect([...FINE_TUNING_REGIONS].sort()).to.deep.equal(FINE_TUNING_REGIONS);
  });
});
