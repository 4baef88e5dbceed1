/**
 * Shared fixtures for the emulator specs: a fast emulator, clients, training data, and polling.
 */
import { AzureOpenAI, toFile } from "openai";
import type { FileObject } from "openai/resources/files";
import type { FineTuningJob, JobCreateParams } from "openai/resources/fine-tuning/jobs/jobs";
import { EmulatorOptions, RunningEmulator, startEmulator } from "../../emulator/server";

/** GA dated api-version. */
export const GA = "2024-10-21";
/** Preview dated api-version (pause/resume, method). */
export const PREVIEW = "2025-04-01-preview";

/** Timings small enough that a whole job takes a few tens of milliseconds. */
export const FAST: EmulatorOptions = {
  quiet: true,
  apiKey: "test-key",
  fileProcessingMs: 2,
  jobTiming: { queuedMs: 2, runningMs: 20, steps: 4 },
};

/** Starts an emulator with fast timings (overridable). */
export function startFast(overrides: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ ...FAST, ...overrides });
}

/** An openai AzureOpenAI client with the key, no retries unless asked. */
export function client(emulator: RunningEmulator, apiVersion = GA, maxRetries = 0): AzureOpenAI {
  return new AzureOpenAI({
    endpoint: emulator.endpoint,
    apiKey: emulator.apiKey,
    apiVersion,
    maxRetries,
  });
}

/** One chat training line. */
export function chatLine(user: string, assistant: string): string {
  return JSON.stringify({
    messages: [
      { role: "system", content: "You answer travel questions." },
      { role: "user", content: user },
      { role: "assistant", content: assistant },
    ],
  });
}

/** Twelve valid chat examples about distinct cities. */
export const CITY_EXAMPLES: readonly [string, string][] = [
  ["What is the best time to visit Paris?", "Visit Paris in spring, April to June."],
  ["Which museum should I see in Madrid?", "See the Prado in Madrid."],
  ["How do I get around Tokyo?", "Use the Tokyo metro and JR lines."],
  ["Where can I surf near Lisbon?", "Surf at Ericeira or Costa da Caparica near Lisbon."],
  ["Is Reykjavik expensive for food?", "Yes, Reykjavik food is expensive; shop at Bonus."],
  ["What should I eat in Naples?", "Eat Neapolitan pizza in Naples."],
  ["How many days do I need in Rome?", "Plan three to four days in Rome."],
  ["Can I swim in the sea at Nice?", "Yes, Nice has pebble beaches for swimming."],
  ["What is a good day trip from Vienna?", "Take a day trip from Vienna to the Wachau valley."],
  ["Which area should I stay in Berlin?", "Stay in Mitte or Kreuzberg in Berlin."],
  ["When do the tulips bloom in Amsterdam?", "Amsterdam tulips bloom from late March to mid May."],
  ["Do I need a car in Dublin?", "No, Dublin is walkable and has buses."],
];

/** A valid training file (JSONL with a trailing newline). */
export function trainingJsonl(examples: readonly [string, string][] = CITY_EXAMPLES): Buffer {
  return Buffer.from(`${examples.map(([u, a]) => chatLine(u, a)).join("\n")}\n`, "utf8");
}

/** Polls `read` until `done` holds (bounded: 2,000 polls, 2 ms apart). */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  let last: T | undefined;
  for (let attempt = 0; attempt < 2000; attempt++) {
    last = await read();
    if (done(last)) {
      return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
}

/** Uploads a training file and waits until Azure-style processing has finished. */
export async function uploadProcessed(
  openai: AzureOpenAI,
  content: Buffer = trainingJsonl(),
  filename = "train.jsonl",
): Promise<FileObject> {
  const file = await openai.files.create({
    file: await toFile(content, filename),
    purpose: "fine-tune",
  });
  return waitFor(
    () => openai.files.retrieve(file.id),
    (f) => f.status === "processed" || f.status === "error",
    `file ${file.id} processing`,
  );
}

/** Job create parameters with Azure's `trainingType` (Azure/azure-sdk-for-python sdk/ai/azure-ai-projects/samples/finetuning/sample_finetuning_supervised_job.py). */
export function jobParams(
  trainingFile: string,
  extra: Record<string, unknown> = {},
): JobCreateParams {
  return {
    model: "gpt-4o-mini-2024-07-18",
    training_file: trainingFile,
    trainingType: "Standard",
    ...extra,
  } as JobCreateParams;
}

/** Waits until a job reaches one of the given statuses (Azure statuses are wider than the SDK's type). */
export function waitForJob(
  openai: AzureOpenAI,
  id: string,
  statuses: readonly string[],
): Promise<FineTuningJob> {
  return waitFor(
    () => openai.fineTuning.jobs.retrieve(id),
    (job) => statuses.includes(job.status as string),
    `job ${id} to reach ${statuses.join("/")}`,
  );
}

/** Uploads the city data and trains a model to success; returns the finished job. */
export async function trainModel(
  openai: AzureOpenAI,
  extra: Record<string, unknown> = {},
): Promise<FineTuningJob> {
  const file = await uploadProcessed(openai);
  const job = await openai.fineTuning.jobs.create(jobParams(file.id, extra));
  return waitForJob(openai, job.id, ["succeeded", "failed", "cancelled"]);
}

/** A fast emulator with a trained model deployed as `deployment`; returns both. */
export async function startWithTuned(
  deployment: string,
): Promise<{ emulator: RunningEmulator; tuned: string }> {
  const emulator = await startFast();
  const tuned = (await trainModel(client(emulator))).fine_tuned_model as string;
  emulator.admin.registerDeployment(deployment, tuned);
  return { emulator, tuned };
}

/** Raw request to the emulator; returns status, headers and parsed JSON (or text). */
export async function raw(
  emulator: RunningEmulator,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: unknown; key?: boolean } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const headers: Record<string, string> = {
    ...(opts.key === false ? {} : { "api-key": emulator.apiKey }),
    ...opts.headers,
  };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  const response = await fetch(`${emulator.endpoint}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    // File content and results.csv are returned as text.
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Azure's 401 for a wrong or missing key (copied from the observed response). */
export const KEY_401 = {
  error: {
    code: "401",
    message:
      "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
  },
};

/** Azure's 401 for a bearer token it cannot use (microsoft/teams-sdk#1746). */
export const TOKEN_401 = {
  statusCode: 401,
  message:
    "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.",
};
