import { describe, expect, it } from "vitest";
import { SCOPES } from "../testing/shell";
import { choiceOf, groupScopes, levelLabel, sameScopes, scopesOf } from "./scopes";

const categories = groupScopes(SCOPES);
const category = (name: string) => categories.find((c) => c.name === name)!;

describe("groupScopes", () => {
  it("keeps catalog order, without full access", () => {
    expect(categories.map((c) => c.name)).toEqual(["Build", "Code", "Connected Server", "Extensions", "Packaging"]);
  });

  it("offers one choice among stacking levels and checkboxes for the rest", () => {
    const [code] = category("Code").resources;
    expect(code!.levels.map((o) => o.id)).toEqual(["vso.code", "vso.code_write", "vso.code_manage", "vso.code_full"]);
    expect(code!.extras.map((o) => o.id)).toEqual(["vso.code_status"]);
    expect(category("Build").resources[0]!.extras.map((o) => o.id)).toEqual(["vso.build_execute"]);
    expect(category("Connected Server").resources[0]!.levels).toEqual([]);
  });

  it("splits a category into its resources where their levels would collide", () => {
    const resources = category("Extensions").resources;
    expect(resources.map((r) => r.label)).toEqual(["Extensions", "Extension data"]);
    expect(resources[1]!.levels.map((o) => o.id)).toEqual(["vso.extension.data", "vso.extension.data_write"]);
  });

  it("labels levels in the scope's own words", () => {
    expect(levelLabel(SCOPES.find((s) => s.id === "vso.code_manage")!)).toBe("Read, write & manage");
    const server = SCOPES.find((s) => s.id === "vso.connected_server")!;
    expect(levelLabel(server, server.name)).toBe("Connected Server");
  });
});

describe("choiceOf and scopesOf", () => {
  it("round-trip a PAT's scopes, the highest level of a resource standing for the lower", () => {
    const choice = choiceOf(categories, ["vso.code", "vso.code_write", "vso.code_status", "vso.packaging"], "app_token");
    expect(choice.picks["Code/Code"]).toBe("vso.code_write");
    expect(choice.picks["Build/Build"]).toBe("");
    expect(choice.dropped).toEqual([]);
    expect(scopesOf(categories, choice)).toEqual(["vso.code_write", "vso.code_status", "vso.packaging"]);
  });

  it("names the scopes the picker does not offer", () => {
    expect(choiceOf(categories, ["vso.code", "vso.drop_write"], "app_token").dropped).toEqual(["vso.drop_write"]);
  });

  it("compares scope lists as sets", () => {
    expect(sameScopes(["a", "b"], ["b", "a"])).toBe(true);
    expect(sameScopes(["a"], ["a", "b"])).toBe(false);
  });
});
