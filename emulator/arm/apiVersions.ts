/**
 * api-versions the emulated ARM accepts per resource type: those in Azure/azure-rest-api-specs
 * (`specification/{resources,cognitiveservices,authorization}/resource-manager`) that the project's
 * clients send — @pulumi/azure-native 3.28.0 (resource groups 2024-03-01, Cognitive Services
 * 2025-06-01, role assignments 2022-04-01, role definitions 2022-05-01-preview),
 * @azure/arm-cognitiveservices 8.1.0 (2025-09-01), @azure/arm-resources 8.0.0 (2025-04-01),
 * @azure/arm-authorization 9.0.0 (2022-04-01), the purge call (2024-10-01) — plus their neighbours.
 */
import { armError } from "./errors";
import type { AzureError } from "../errors";

/** Accepted versions by namespace/type (lower case). */
const VERSIONS: Readonly<Record<string, readonly string[]>> = {
  "microsoft.resources/resourcegroups": [
    "2021-04-01",
    "2022-09-01",
    "2023-07-01",
    "2024-03-01",
    "2024-07-01",
    "2024-11-01",
    "2025-01-01",
    "2025-03-01",
    "2025-04-01",
  ],
  "microsoft.cognitiveservices": [
    "2021-10-01",
    "2022-12-01",
    "2023-05-01",
    "2023-10-01-preview",
    "2024-04-01-preview",
    "2024-06-01-preview",
    "2024-10-01",
    "2025-04-01-preview",
    "2025-06-01",
    "2025-07-01-preview",
    "2025-09-01",
    "2025-10-01-preview",
  ],
  "microsoft.authorization/roleassignments": [
    "2020-04-01-preview",
    "2020-10-01-preview",
    "2022-01-01-preview",
    "2022-04-01",
  ],
  "microsoft.authorization/roledefinitions": [
    "2018-01-01-preview",
    "2022-04-01",
    "2022-05-01-preview",
  ],
  "microsoft.graph": ["v1.0"],
};

/** The versions accepted for `kind` (a key of the table; "*" accepts any). */
export function acceptedVersions(kind: string): readonly string[] {
  return VERSIONS[kind] ?? [];
}

/**
 * Undefined when `version` is accepted for `kind`, else ARM's 400: `MissingApiVersionParameter`
 * or `NoRegisteredProviderFound` (wording observed in Azure/azure-cli#28496 and
 * pulumi/pulumi-azure-nextgen#170; the emulator leaves out the locations sentence).
 */
export function checkApiVersion(
  kind: string,
  type: string,
  version: string | undefined,
  location = "global",
): AzureError | undefined {
  if (!version) {
    return armError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  }
  const accepted = acceptedVersions(kind);
  if (kind === "*" || accepted.includes(version)) {
    return undefined;
  }
  return armError(
    400,
    "NoRegisteredProviderFound",
    `No registered resource provider found for location '${location}' and API version '${version}' ` +
      `for type '${type}'. The supported api-versions are '${accepted.join(", ")}'.`,
  );
}
