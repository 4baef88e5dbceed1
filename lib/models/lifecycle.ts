/**
 * Reading the catalog's published dates against "today". Microsoft's dates are floors that often
 * move and Azure is the authority, so a passed date is a warning for the preview, never a refusal.
 */
import type { CatalogModel, LifecycleDate, ModelLifecycle } from "./catalog";

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/**
 * Reads a date as Microsoft's tables print it: `2026-10-14`, `February 28, 2026`, and even the
 * impossible `2026-09-31`, which is read as the last day of its month (2026-09-30). Returns the
 * UTC midnight of that day, or undefined for text that is not a date.
 */
export function parseLenientDate(text: string): Date | undefined {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  const long = /^([A-Za-z]+) (\d{1,2}), (\d{4})$/.exec(text.trim());
  let year: number, month: number, day: number;
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (long && MONTHS.includes(long[1].toLowerCase())) {
    [year, month, day] = [
      Number(long[3]),
      MONTHS.indexOf(long[1].toLowerCase()) + 1,
      Number(long[2]),
    ];
  } else {
    return undefined;
  }
  if (month < 1 || month > 12 || day < 1) return undefined;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return new Date(Date.UTC(year, month - 1, Math.min(day, lastDay)));
}

/** What each lifecycle date means for a stack that trains and deploys the model. */
const MEANING: Readonly<Record<keyof ModelLifecycle, string>> = {
  deprecation: "deprecation date (no new customers)",
  standardRetirement: "retirement date of Standard deployments",
  retirement: "base model retirement date",
  trainingRetirement: "fine-tuning (training) retirement date",
  deploymentRetirement: "fine-tuned deployment retirement date",
};

/** A clock the caller controls, so tests pin "today". */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/**
 * One warning per published date of `model` that is on or before `today`, naming the model, the
 * date as printed, what it means and where it was published. Empty when nothing has passed or
 * nothing is published.
 */
export function modelLifecycleWarnings(id: string, model: CatalogModel, today: Date): string[] {
  const warnings: string[] = [];
  for (const [what, fact] of Object.entries(model.lifecycle) as [
    keyof ModelLifecycle,
    LifecycleDate,
  ][]) {
    const when = parseLenientDate(fact.date);
    if (when === undefined || when.getTime() > today.getTime()) continue;
    const floor = fact.noEarlierThan ? "no earlier than " : "";
    const note = fact.note !== undefined ? ` (${fact.note})` : "";
    warnings.push(
      `${id}: the published ${MEANING[what]} is ${floor}${fact.date}${note}, on or before today ` +
        `(${today.toISOString().slice(0, 10)}); Azure may refuse it or may have moved the date. ` +
        `Source: ${fact.source}` +
        (what === "retirement" ? existingCustomersTraining(model, today) : ""),
    );
  }
  return warnings;
}

/**
 * After base model retirement, the tables may keep fine-tuning open to existing customers only
 * until a later floor; the retirement warning says so, since it decides whether this account
 * can still train. Empty when no such floor lies ahead.
 */
function existingCustomersTraining(model: CatalogModel, today: Date): string {
  const training = model.lifecycle.trainingRetirement;
  const when = training && parseLenientDate(training.date);
  if (!training?.existingCustomersOnly || when === undefined || when <= today) return "";
  const floor = training.noEarlierThan ? "no earlier than " : "";
  return (
    `. Fine-tuning stays open to existing customers only, until ${floor}${training.date} ` +
    `(source: ${training.source})`
  );
}
