/**
 * An emulator holding a base deployment and a deployment of a model fine-tuned (by a real, time-
 * compressed job) on this file's own examples, for the compare tests.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { AzureOpenAI, toFile } from "openai";
import { RunningEmulator, startEmulator } from "../../../emulator/server";

/** Base model of the fixture's deployments. */
export const BASE_MODEL = "gpt-4.1-mini-2025-04-14";
/** Deployment names the fixture registers. */
export const BASE_DEPLOYMENT = "mini-base";
export const TUNED_DEPLOYMENT = "mini-trips";

/** System message of the fixture's examples and prompts. */
export const SYSTEM = "You are Wayfarer, a terse travel helper.";

/** Training pairs (question → reply); written for these tests. */
export const EXAMPLES: ReadonlyArray<readonly [string, string]> = [
  ["Which day is best for the Louvre?", "Go on a Wednesday evening: late opening, thinner crowds."],
  ["Do I need cash in Oslo?", "Rarely; cards work almost everywhere, even at kiosks."],
  [
    "How early should I reach Heathrow for a long-haul flight?",
    "Three hours before departure is the safe margin.",
  ],
  ["Is tap water safe to drink in Vienna?", "Yes, it comes straight from alpine springs."],
  [
    "What plug adapter do I need for Tokyo?",
    "Type A, two flat pins; check your charger accepts 100 V.",
  ],
  [
    "Can I walk between the Lisbon viewpoints?",
    "Yes, but the hills are steep; take tram 28 uphill.",
  ],
  ["How long is the ferry from Split to Hvar?", "About an hour on the fast catamaran."],
  ["Should I tip taxi drivers in Reykjavik?", "No, tipping is not expected in Iceland."],
  ["When do the Kyoto maples turn red?", "Mid to late November, earlier in the northern hills."],
  [
    "Is a day trip from Madrid to Toledo worth it?",
    "Yes: thirty minutes by train, a full day of old town.",
  ],
];

/** Questions the compare tests ask; each is close to exactly one training question. */
export const PROMPTS: readonly string[] = [
  "Which day of the week is best for visiting the Louvre?",
  "Do I need cash when visiting Oslo?",
  "How long does the ferry from Split to Hvar take?",
];

/** The reply the tuned deployment gives to `PROMPTS[i]`. */
export const TUNED_REPLIES: readonly string[] = [EXAMPLES[0][1], EXAMPLES[1][1], EXAMPLES[6][1]];

/** The reply the base deployment gives to every prompt. */
export const BASE_REPLY = `This is a reply from the emulated base model ${BASE_MODEL} on deployment ${BASE_DEPLOYMENT}.`;

/** A running emulator with both deployments, plus a temp dir for files. */
export interface CompareFixture {
  readonly emulator: RunningEmulator;
  readonly tunedModel: string;
  /** Temp dir holding `prompts.json`; removed by `close`. */
  readonly dir: string;
  /** `{ system, prompts }` file of `PROMPTS`. */
  readonly promptsFile: string;
  close(): Promise<void>;
}

/** Starts the emulator, fine-tunes `BASE_MODEL` on `EXAMPLES` and registers both deployments. */
export async function startCompareFixture(): Promise<CompareFixture> {
  const emulator = await startEmulator({
    quiet: true,
    fileProcessingMs: 0,
    jobTiming: { queuedMs: 0, runningMs: 5, steps: 1 },
  });
  const client = new AzureOpenAI({
    baseURL: `${emulator.endpoint}/openai`,
    apiKey: emulator.apiKey,
    apiVersion: "2025-04-01-preview",
    maxRetries: 0,
  });
  const jsonl = EXAMPLES.map(([q, a]) =>
    JSON.stringify({
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: q },
        { role: "assistant", content: a },
      ],
    }),
  ).join("\n");
  const file = await client.files.create({
    file: await toFile(Buffer.from(jsonl), "trips.jsonl"),
    purpose: "fine-tune",
  });
  await waitFor(async () =>
    (await client.files.retrieve(file.id)).status === "processed" ? true : undefined,
  );
  const job = await client.fineTuning.jobs.create({
    model: BASE_MODEL,
    training_file: file.id,
    ...({ trainingType: "Standard" } as object),
  });
  const tunedModel = await waitFor(async () => {
    const current = await client.fineTuning.jobs.retrieve(job.id);
    if (current.status === "failed" || current.status === "cancelled") {
      throw new Error(`fixture fine-tuning job ${job.id} ended ${current.status}`);
    }
    return current.status === "succeeded" ? (current.fine_tuned_model ?? undefined) : undefined;
  });
  emulator.admin.registerDeployment(BASE_DEPLOYMENT, BASE_MODEL);
  emulator.admin.registerDeployment(TUNED_DEPLOYMENT, tunedModel);
  emulator.admin.reset({ state: false, faults: false, counters: true });

  const dir = mkdtempSync(path.join(tmpdir(), "compare-test-"));
  const promptsFile = path.join(dir, "prompts.json");
  writeFileSync(promptsFile, JSON.stringify({ system: SYSTEM, prompts: PROMPTS }));
  return {
    emulator,
    tunedModel,
    dir,
    promptsFile,
    close: async () => {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` every 10 ms until it returns a value. */
async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("fixture: the emulator did not get there within 5 s");
}

/**
 * Writes a fake `pulumi` into `dir` that records its arguments to `args.txt` and prints `stdout`
 * (or fails with `stderr` and `exitCode`).
 */
export function writeFakePulumi(
  dir: string,
  behaviour: { stdout?: string; stderr?: string; exitCode?: number },
): string {
  const bin = path.join(dir, "pulumi");
  const script = [
    "#!/bin/sh",
    `printf '%s\\n' "$@" > '${path.join(dir, "args.txt")}'`,
    `printf '%s' '${(behaviour.stdout ?? "").replace(/'/g, "'\\''")}'`,
    `printf '%s' '${(behaviour.stderr ?? "").replace(/'/g, "'\\''")}' >&2`,
    `exit ${behaviour.exitCode ?? 0}`,
  ].join("\n");
  writeFileSync(bin, `${script}\n`);
  chmodSync(bin, 0o755);
  return bin;
}
