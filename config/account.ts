import type { CatalogModel } from "../lib/models";
import { configKey, ConfigReader } from "./reader";
import { ACCOUNT_KINDS, NETWORK_ACCESS, type AccountAndNetwork } from "./types";

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
const IPV4_RANGE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/(\d{1,2}))?$/;
const RESOURCE_GROUP = /^[-\w._()]{1,89}[-\w_()]$/;

/** Resource group, account kind and SKU, local auth, network access and firewall, Foundry project. */
export function validateAccountAndNetwork(
  r: ConfigReader,
  model?: { readonly id: string; readonly model?: CatalogModel },
): AccountAndNetwork {
  const accountKind = r.oneOf("accountKind", ACCOUNT_KINDS, "AIServices");
  const allowedIpRanges = r.stringList(
    "allowedIpRanges",
    "a list of IPv4 addresses or CIDR ranges",
  );
  for (const range of allowedIpRanges) {
    const m = IPV4_RANGE.exec(range);
    const octetsOk = m !== null && [1, 2, 3, 4].every((i) => Number(m[i]) <= 255);
    if (!m || !octetsOk || (m[6] !== undefined && Number(m[6]) > 32)) {
      r.bad(
        "allowedIpRanges",
        range,
        "each entry must be an IPv4 address or CIDR range such as 203.0.113.0/24",
      );
    }
  }
  const foundryProject = r.str("foundryProject");
  if (foundryProject !== undefined) {
    if (!DNS_LABEL.test(foundryProject)) {
      r.bad("foundryProject", foundryProject, "use 1-64 lowercase letters, digits or hyphens");
    } else if (accountKind !== "AIServices") {
      r.problems.push(
        `${configKey("foundryProject")} is "${foundryProject}" but Foundry projects need ${configKey("accountKind")} AIServices, not ${accountKind}; ` +
          `set ${configKey("accountKind")} to AIServices or remove ${configKey("foundryProject")}`,
      );
    }
  }
  // "Open-source models … are only supported on Foundry resources" (MicrosoftDocs/azure-ai-docs
  // articles/foundry/includes/fine-tune-supported-models.md @ 10fd319b).
  if (model?.model?.openAI === false && accountKind !== "AIServices") {
    r.problems.push(
      `${configKey("accountKind")} is "${accountKind}" but ${model.id} is fine-tuned only on Foundry resources; set ${configKey("accountKind")} to AIServices`,
    );
  }
  const existingResourceGroupName = r.str("resourceGroupName");
  if (existingResourceGroupName !== undefined && !RESOURCE_GROUP.test(existingResourceGroupName)) {
    r.bad(
      "resourceGroupName",
      existingResourceGroupName,
      "use 1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'",
    );
  }
  return {
    existingResourceGroupName,
    accountKind,
    accountSku: r.oneOf("accountSku", ["S0"] as const, "S0"),
    disableLocalAuth: r.bool("disableLocalAuth", true),
    publicNetworkAccess: r.oneOf("publicNetworkAccess", NETWORK_ACCESS, "Enabled"),
    allowedIpRanges,
    foundryProject,
  };
}
