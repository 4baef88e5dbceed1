import { ConfigReader } from "./reader";
import {
  PRINCIPAL_TYPES,
  type Principal,
  type PrincipalSettings,
  type PrincipalType,
} from "./types";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The deployer's principal type and the principals granted data-plane roles. */
export function validatePrincipals(r: ConfigReader): PrincipalSettings {
  return {
    deployerPrincipalType: r.oneOf("deployerPrincipalType", PRINCIPAL_TYPES, "User"),
    principals: principalList(r, "principals"),
    inferencePrincipals: principalList(r, "inferencePrincipals"),
  };
}

/** Reads `"Type:objectId"` entries. */
function principalList(r: ConfigReader, k: string): Principal[] {
  const out: Principal[] = [];
  for (const entry of r.stringList(k, 'a list of "Type:objectId" entries')) {
    const [type, objectId, ...rest] = entry.split(":");
    if (
      rest.length === 0 &&
      (PRINCIPAL_TYPES as readonly string[]).includes(type) &&
      GUID.test(objectId ?? "")
    ) {
      out.push({ type: type as PrincipalType, objectId: objectId.toLowerCase() });
    } else {
      r.bad(
        k,
        entry,
        `each entry must be "User:<objectId>", "Group:<objectId>" or "ServicePrincipal:<objectId>" with a GUID object id`,
      );
    }
  }
  return out;
}
