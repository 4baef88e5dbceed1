import {
  findModel,
  FINE_TUNING_REGIONS,
  GLOBAL_TRAINING_REGIONS,
  MODEL_CATALOG,
  REGION_CAVEATS,
  SOURCES,
  type CatalogModel,
} from "../lib/models";
import { configKey, ConfigReader } from "./reader";
import { TRAINING_TYPES, type TrainingType } from "../lib/fineTuning";
import type { RegionAndModel } from "./types";

/**
 * The default model: GA, trainable on Global and Developer capacity, and deployable on the
 * Developer tier (no hosting fee), so a first stack is the cheapest complete cycle.
 */
export const DEFAULT_MODEL = "gpt-4.1-mini-2025-04-14";

/** What a model id may look like; anything else is a typo, not a model Azure might know. */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Methods the job provider runs. */
const TRAINABLE = ["supervised", "dpo"] as const;

/**
 * Region, model and training type. A model the catalog knows is checked against what Microsoft
 * publishes for it; a model it does not know passes (Azure decides) and is warned about in
 * `stackConfigWarnings`.
 */
export function validateRegionAndModel(r: ConfigReader): RegionAndModel {
  const location = r.str("location") ?? "swedencentral";
  if (!FINE_TUNING_REGIONS.includes(location)) {
    r.bad(
      "location",
      location,
      `use a region that offers fine-tuning: ${FINE_TUNING_REGIONS.join(", ")}`,
    );
  }
  const rawModel = r.str("baseModel") ?? DEFAULT_MODEL;
  const trainingType = r.oneOf("trainingType", TRAINING_TYPES, "GlobalStandard");
  if (rawModel.includes(".ft-") || !MODEL_ID.test(rawModel)) {
    r.bad(
      "baseModel",
      rawModel,
      `use a base model id such as ${DEFAULT_MODEL} (see docs/models.md)`,
    );
    return { location, baseModel: DEFAULT_MODEL, model: undefined, trainingType };
  }
  const found = findModel(rawModel);
  if (found === undefined) return { location, baseModel: rawModel, model: undefined, trainingType };
  checkMethods(r, found.id, found.model);
  if (FINE_TUNING_REGIONS.includes(location)) {
    checkTrainingType(r, found.id, found.model, location, trainingType);
  }
  return { location, baseModel: found.id, model: found.model, trainingType };
}

function checkMethods(r: ConfigReader, id: string, model: CatalogModel): void {
  if (model.methods.some((m) => (TRAINABLE as readonly string[]).includes(m))) return;
  const trainable = Object.keys(MODEL_CATALOG).filter((other) =>
    MODEL_CATALOG[other].methods.includes("supervised"),
  );
  r.problems.push(
    `${configKey("baseModel")} is "${id}" but it is fine-tuned only with ${model.methods.join(", ")}, ` +
      `which this program does not run (it runs supervised and DPO jobs); use one of ${trainable.join(", ")}`,
  );
}

function checkTrainingType(
  r: ConfigReader,
  id: string,
  model: CatalogModel,
  location: string,
  trainingType: TrainingType,
): void {
  const source = `(source: ${SOURCES.fineTuneModels})`;
  if (trainingType === "Standard") {
    if (!model.standardRegions.includes(location)) {
      const where = model.standardRegions.length
        ? `runs only in ${model.standardRegions.join(", ")}`
        : "is not offered";
      r.problems.push(
        `${configKey("location")} is "${location}" but Standard training of ${id} ${where} ${source}; ` +
          `change ${configKey("location")} or set ${configKey("trainingType")} to GlobalStandard`,
      );
    }
    return;
  }
  const offered = trainingType === "Developer" ? model.developerTraining : model.globalTraining;
  if (!offered) {
    const other = TRAINING_TYPES.filter(
      (t) =>
        t !== trainingType &&
        (t === "Standard"
          ? model.standardRegions.length > 0
          : t === "Developer"
            ? model.developerTraining
            : model.globalTraining),
    );
    r.problems.push(
      `${configKey("trainingType")} is "${trainingType}" but ${id} offers no ${trainingType} training ${source}; ` +
        `set ${configKey("trainingType")} to ${other.join(" or ")}`,
    );
  } else if (!GLOBAL_TRAINING_REGIONS.includes(location)) {
    // Developer training is documented without its own region list; it is read as Global's.
    r.problems.push(
      `${configKey("location")} is "${location}" but Global training is not offered there; use one of ${GLOBAL_TRAINING_REGIONS.join(", ")}`,
    );
  } else if (REGION_CAVEATS[location]?.excludes?.includes(model.name)) {
    r.problems.push(
      `${configKey("location")} is "${location}" but Global training there does not include ${model.name} ` +
        `(source: ${SOURCES.globalTrainingRegions}); choose another region or model`,
    );
  }
}
