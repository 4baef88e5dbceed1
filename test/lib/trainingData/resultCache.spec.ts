import { expect } from "chai";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheDir, rulesVersion } from "../../../lib/trainingData/resultCache";
import { validateTrainingFile } from "../../../lib/trainingData/validate";

const CHAT = readFileSync(join(__dirname, "../../fixtures/trainingData/valid-chat.jsonl"), "utf8");

describe("validation result cache", () => {
  let dir: string;
  let saved: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "aoift-cache-"));
    saved = process.env.AOIFT_CACHE_DIR;
    process.env.AOIFT_CACHE_DIR = join(dir, "cache");
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.AOIFT_CACHE_DIR;
    else process.env.AOIFT_CACHE_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it("returns the stored report for unchanged content instead of validating again", async () => {
    const path = join(dir, "train.jsonl");
    writeFileSync(path, CHAT);
    const first = await validateTrainingFile(path);
    const entries = readdirSync(join(dir, "cache", "validation"));
    expect(entries.length).to.equal(1);
    // Tamper with the entry: a second validation that returns it did not tokenize again.
    const entry = join(dir, "cache", "validation", entries[0]);
    writeFileSync(entry, JSON.stringify({ ...first, totalTokens: 12345 }));
    expect((await validateTrainingFile(path)).totalTokens).to.equal(12345);
    // Other options (another model) are another entry.
    expect((await validateTrainingFile(path, { model: "gpt-4o" })).totalTokens).to.equal(
      first.totalTokens,
    );
  });

  it("validates changed content again", async () => {
    const path = join(dir, "train.jsonl");
    writeFileSync(path, CHAT);
    const first = await validateTrainingFile(path);
    writeFileSync(path, `${CHAT}${CHAT.split("\n")[0]}\n`);
    const second = await validateTrainingFile(path);
    expect([second.examples, second.sha256 === first.sha256]).to.deep.equal([
      first.examples + 1,
      false,
    ]);
  });

  it("is off with AOIFT_CACHE_DIR=off, and keyed by a version of the rules' sources", () => {
    process.env.AOIFT_CACHE_DIR = "off";
    expect(cacheDir()).to.equal(undefined);
    expect(rulesVersion()).to.match(/^[0-9a-f]{16}$/);
  });
});
