import { expect } from "chai";
import { validatePrincipals } from "../../config";
import { itRejects, run } from "../support/validatorRun";

describe("config/principals", () => {
  it("reads typed principals, lower-casing their object ids", () => {
    expect(
      run(
        {
          deployerPrincipalType: "ServicePrincipal",
          principals: '["Group:00000000-0000-0000-0000-00000000A11C"]',
          inferencePrincipals: '["User:00000000-0000-0000-0000-0000000b0b00"]',
        },
        validatePrincipals,
      ),
    ).to.deep.equal({
      value: {
        deployerPrincipalType: "ServicePrincipal",
        principals: [{ type: "Group", objectId: "00000000-0000-0000-0000-00000000a11c" }],
        inferencePrincipals: [{ type: "User", objectId: "00000000-0000-0000-0000-0000000b0b00" }],
      },
      problems: [],
    });
  });

  const cases: [string, Record<string, string>, string][] = [
    [
      "a principal without a type",
      { principals: '["0c1d2e3f-0000-0000-0000-000000000001"]' },
      '`azure-openai-finetune:principals` is "0c1d2e3f-0000-0000-0000-000000000001"; each entry must be "User:<objectId>", "Group:<objectId>" or "ServicePrincipal:<objectId>" with a GUID object id',
    ],
    [
      "an inference principal whose id is not a GUID",
      { inferencePrincipals: '["User:alice"]' },
      '`azure-openai-finetune:inferencePrincipals` is "User:alice"; each entry must be "User:<objectId>", "Group:<objectId>" or "ServicePrincipal:<objectId>" with a GUID object id',
    ],
    [
      "an unknown deployer principal type",
      { deployerPrincipalType: "ManagedIdentity" },
      '`azure-openai-finetune:deployerPrincipalType` is "ManagedIdentity"; allowed values: User, Group, ServicePrincipal',
    ],
  ];
  itRejects(cases, validatePrincipals);
});
