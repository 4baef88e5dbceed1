import { ConfigReader } from "./reader";
import type { CiSettings } from "./types";

const GITHUB_REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const GITHUB_NAME = /^[A-Za-z0-9_./-]{1,100}$/;

/** The GitHub repository, branch and environments a CI identity is federated with. */
export function validateCi(r: ConfigReader, environment: string): CiSettings {
  const ciRepository = r.str("ciRepository");
  if (ciRepository !== undefined && !GITHUB_REPO.test(ciRepository)) {
    r.bad(
      "ciRepository",
      ciRepository,
      'use the GitHub "owner/repository" form, e.g. contoso/ml-platform',
    );
  }
  const ciBranch = r.str("ciBranch") ?? "main";
  if (!GITHUB_NAME.test(ciBranch)) {
    r.bad("ciBranch", ciBranch, "use a branch name of letters, digits, '.', '_', '/' or '-'");
  }
  const listed = r.stringList("ciEnvironments", "a list of GitHub environment names");
  const ciEnvironments = listed.length > 0 ? listed : [environment];
  for (const env of ciEnvironments) {
    if (!GITHUB_NAME.test(env)) {
      r.bad(
        "ciEnvironments",
        env,
        "use GitHub environment names of letters, digits, '.', '_', '/' or '-'",
      );
    }
  }
  return { ciRepository, ciBranch, ciEnvironments };
}
