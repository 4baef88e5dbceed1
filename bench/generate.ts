/**
 * Deterministic generator of realistic travel-assistant training files for benchmarks: varied
 * sentence lengths, multi-turn conversations, weights, tool calls and some non-ASCII text
 * (accented place names, curly quotes, currency signs, emoji), as real chat exports have.
 */
import { createWriteStream, existsSync, renameSync, statSync } from "node:fs";
import { once } from "node:events";

/** xorshift32: the same seed gives the same file on every machine. */
export function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

const WORDS = (
  "the a to of and in is for on with you your trip city hotel flight museum beach visa weather local tour guide train " +
  "ticket price budget night day week morning evening restaurant food market walk park river mountain island festival " +
  "culture history art old new best quiet busy famous hidden recommend suggest visit explore book plan travel pack bring " +
  "check season summer winter spring autumn rain sun temperature bus metro taxi airport station neighbourhood view " +
  "sunset breakfast dinner coffee street square cathedral castle garden harbour ferry bridge hike trail lake valley " +
  "village coast wine cheese bakery gallery concert opera theatre shopping souvenir passport insurance currency cash " +
  "card tip queue crowd early late open closed weekend holiday family kids couple solo friends adventure relax"
).split(" ");
const PLACES = [
  "Paris",
  "Kyoto",
  "Lisbon",
  "Reykjavík",
  "São Paulo",
  "Zürich",
  "Marrakech",
  "Cape Town",
  "Queenstown",
  "Kraków",
  "Montréal",
  "Cancún",
  "Hà Nội",
  "Ålesund",
  "Tōkyō",
  "Sevilla",
  "Edinburgh",
  "Vancouver",
  "Dubrovnik",
  "Cusco",
];
const EXTRAS = [
  "€120",
  "$45",
  "2025-06-01",
  "10:30",
  "(about 20 minutes)",
  "—",
  "’s",
  "“must-see”",
  "🙂",
  "✈️",
  "e.g.",
  "it's",
  "don't",
  "you'll",
  "24/7",
];
const SYSTEM_PROMPTS = [
  "You are an AI travel assistant that helps people plan their trips. You answer questions about visas, weather, " +
    "local attractions, transport and cultural norms. You are friendly and concise, you ask one follow-up question " +
    "when the traveller's plans are unclear, and you do not answer questions unrelated to travel.",
  "You are Wanderly, a cheerful travel planner. Keep answers under five sentences and end with a question.",
];
const TOOLS = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Get the weather forecast for a city",
      parameters: {
        type: "object",
        properties: { city: { type: "string" }, date: { type: "string" } },
        required: ["city"],
      },
    },
  },
];

/** Yields JSONL lines (without "\n") for ever; the same seed yields the same sequence. */
export function* trainingLines(seed = 42): Generator<string> {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const sentence = (): string => {
    const n = 5 + Math.floor(rnd() * 16);
    const words: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = rnd();
      words.push(r < 0.06 ? pick(PLACES) : r < 0.08 ? pick(EXTRAS) : pick(WORDS));
    }
    const text = words.join(" ");
    return text[0].toUpperCase() + text.slice(1) + (rnd() < 0.25 ? "?" : rnd() < 0.1 ? "!" : ".");
  };
  const paragraph = (min: number, max: number): string => {
    const n = min + Math.floor(rnd() * (max - min + 1));
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(sentence());
    return out.join(rnd() < 0.15 ? "\n\n" : " ");
  };
  for (;;) {
    const messages: Record<string, unknown>[] = [
      { role: "system", content: rnd() < 0.9 ? SYSTEM_PROMPTS[0] : SYSTEM_PROMPTS[1] },
    ];
    const example: Record<string, unknown> = { messages };
    if (rnd() < 0.1) {
      const city = pick(PLACES);
      example.tools = TOOLS;
      messages.push({
        role: "user",
        content: `What will the weather be like in ${city} next week?`,
      });
      messages.push({
        role: "assistant",
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "get_weather", arguments: JSON.stringify({ city }) },
          },
        ],
      });
      messages.push({
        role: "tool",
        tool_call_id: "call_1",
        content: JSON.stringify({ city, forecast: paragraph(1, 2) }),
      });
      messages.push({ role: "assistant", content: paragraph(2, 6) });
    } else {
      const turns = rnd() < 0.7 ? 1 : 2 + Math.floor(rnd() * 2);
      for (let t = 0; t < turns; t++) {
        messages.push({ role: "user", content: paragraph(1, 3) });
        const answer: Record<string, unknown> = { role: "assistant", content: paragraph(2, 9) };
        if (turns > 1 && t < turns - 1 && rnd() < 0.3) answer.weight = 0;
        messages.push(answer);
      }
    }
    yield JSON.stringify(example);
  }
}

/**
 * Writes a training file of about `targetBytes` (never more) to `path`, reusing an existing one
 * of the right size: generating 512 MB takes longer than validating it.
 * @returns the file's size in bytes.
 */
export async function generateTrainingFile(
  path: string,
  targetBytes: number,
  seed = 42,
): Promise<number> {
  return writeJsonlFile(path, targetBytes, trainingLines(seed));
}

/** Writes `lines` to `path` up to `targetBytes` (reusing an existing file of about that size). */
export async function writeJsonlFile(
  path: string,
  targetBytes: number,
  lines: Iterable<string>,
): Promise<number> {
  if (existsSync(path)) {
    const size = statSync(path).size;
    if (size <= targetBytes && size > targetBytes - 64 * 1024) return size;
  }
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  let written = 0;
  let batch: string[] = [];
  let batchBytes = 0;
  for (const line of lines) {
    const bytes = Buffer.byteLength(line) + 1;
    if (written + batchBytes + bytes > targetBytes) break;
    batch.push(line);
    batchBytes += bytes;
    if (batchBytes > 1024 * 1024) {
      if (!out.write(`${batch.join("\n")}\n`)) await once(out, "drain");
      written += batchBytes;
      batch = [];
      batchBytes = 0;
    }
  }
  if (batch.length > 0) out.write(`${batch.join("\n")}\n`);
  written += batchBytes;
  out.end();
  await once(out, "finish");
  renameSync(partial, path);
  return written;
}
