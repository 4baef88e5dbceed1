import { expect } from "chai";
import { ROLES, roleDefinitionId } from "../../lib/roles";

/**
 * Every role id the program assigns, copied by hand from the role's JSON (`"name"`) on Microsoft's
 * built-in roles reference. A role added to lib/roles.ts fails the first test until its id is
 * copied here from the page.
 */
const PUBLISHED: Record<keyof typeof ROLES, { id: string; source: string }> = {
  cognitiveServicesOpenAIContributor: {
    id: "a001fd3d-188f-4b5d-821b-7da978bf7442",
    // MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/ai-machine-learning.md
    source:
      "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/ai-machine-learning#cognitive-services-openai-contributor",
  },
  cognitiveServicesOpenAIUser: {
    id: "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
    // MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/ai-machine-learning.md
    source:
      "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/ai-machine-learning#cognitive-services-openai-user",
  },
  contributor: {
    id: "b24988ac-6180-42a0-ab88-20f7382dd24c",
    // MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/privileged.md @ 0b8729ea
    source:
      "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/privileged#contributor",
  },
  reader: {
    id: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    // MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/general.md
    source:
      "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/general#reader",
  },
  roleBasedAccessControlAdministrator: {
    id: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    // MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/privileged.md @ 0b8729ea
    source:
      "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/privileged#role-based-access-control-administrator",
  },
};

describe("lib/roles", () => {
  it("pins every role the program uses to an id copied from Microsoft's page", () => {
    expect(Object.keys(ROLES).sort()).to.deep.equal(Object.keys(PUBLISHED).sort());
  });

  for (const [role, { id, source }] of Object.entries(PUBLISHED)) {
    it(`uses the published id of ${role} (${source})`, () => {
      expect(ROLES[role as keyof typeof ROLES]).to.equal(id);
    });
  }

  it("builds the subscription-scoped definition id ARM expects", () => {
    expect(roleDefinitionId("11111111-2222-3333-4444-555555555555", ROLES.reader)).to.equal(
      "/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
    );
  });
});
