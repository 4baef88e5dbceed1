import { expect } from "chai";
import { assertFileQuota, FILE_QUOTA } from "../../../dynamic-providers/trainingFile/quota";

const MB = 1024 ** 2;
const ENDPOINT = "https://ft-dev.cognitiveservices.azure.com/";

/** A client whose file list answers `files` in pages of two; anything else would throw. */
function listingClient(files: { id: string; filename: string; bytes: number; status: string }[]) {
  const listed: (string | undefined)[] = [];
  const client = {
    files: {
      list: async (query: { after?: string }) => {
        listed.push(query.after);
        const start = query.after ? files.findIndex((f) => f.id === query.after) + 1 : 0;
        return { data: files.slice(start, start + 2), has_more: start + 2 < files.length };
      },
    },
  };
  return { client: client as any, listed };
}

const file = (n: number, bytes: number, status = "processed") => ({
  id: `file-${n}`,
  filename: `train.${n}.jsonl`,
  bytes,
  status,
});

async function message(promise: Promise<void>): Promise<string> {
  return promise.then(
    () => "accepted",
    (err: Error) => err.message,
  );
}

describe("dynamic-providers/trainingFile/quota", () => {
  it("holds the quotas page's rows: 1 GB of files and 50 files per resource", () => {
    // "Total size of all files per resource (fine-tuning) | 1 GB" and
    // "Max Files per resource (fine-tuning) | 50": https://learn.microsoft.com/azure/ai-foundry/openai/quotas-limits
    expect([FILE_QUOTA.totalBytes, FILE_QUOTA.files]).to.deep.equal([1073741824, 50]);
  });

  it("accepts a file that fits, reading every page of the list", async () => {
    const { client, listed } = listingClient([file(1, 400 * MB), file(2, 300 * MB), file(3, 1)]);
    expect(await message(assertFileQuota(client, ENDPOINT, "train.jsonl", 300 * MB))).to.equal(
      "accepted",
    );
    expect(listed).to.deep.equal([undefined, "file-2"]);
  });

  it("refuses a file that would pass 1 GB, with the total, the size, the limit and what to delete", async () => {
    const { client } = listingClient([
      file(1, 400 * MB),
      file(2, 500 * MB),
      file(3, 700 * MB, "deleted"),
      file(4, 24 * MB),
    ]);
    expect(await message(assertFileQuota(client, ENDPOINT, "train.jsonl", 101 * MB))).to.equal(
      "training file train.jsonl cannot be uploaded to https://ft-dev.cognitiveservices.azure.com/: " +
        "its files already hold 924 MB (968884224 bytes), this one is 101 MB (105906176 bytes), and the account " +
        "may hold at most 1 GB of files in all (source: https://learn.microsoft.com/azure/ai-foundry/openai/quotas-limits). " +
        "Nothing was uploaded. Delete files the account no longer needs; the largest: file-2 train.2.jsonl (500 MB), " +
        "file-1 train.1.jsonl (400 MB), file-4 train.4.jsonl (24 MB). Delete one with " +
        "`DELETE https://ft-dev.cognitiveservices.azure.com/openai/files/<file id>?api-version=<version>` or in the " +
        "Azure AI Foundry portal (Data files); a file a fine-tuning job still uses must stay. A content change " +
        "uploads the new file before the old one is deleted, so the old one counts until then.",
    );
  });

  it("counts the old file of a content change: exactly at the limit passes, one byte more does not", async () => {
    const old = [file(1, 600 * MB)];
    const fits = 1024 * MB - 600 * MB;
    expect(
      await message(assertFileQuota(listingClient(old).client, ENDPOINT, "t.jsonl", fits)),
    ).to.equal("accepted");
    expect(
      await message(assertFileQuota(listingClient(old).client, ENDPOINT, "t.jsonl", fits + 1)),
    ).to.match(/^training file t\.jsonl cannot be uploaded to .*: its files already hold 600 MB/);
  });

  it("refuses a 51st file", async () => {
    const { client } = listingClient(Array.from({ length: 50 }, (_, n) => file(n, 1000)));
    expect(await message(assertFileQuota(client, ENDPOINT, "t.jsonl", 10))).to.match(
      /^training file t\.jsonl cannot be uploaded to https:\/\/ft-dev\.cognitiveservices\.azure\.com\/: it already holds 50 files, the most it may hold \(source: /,
    );
  });
});
