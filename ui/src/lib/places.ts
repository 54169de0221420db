// How a place on this machine reads in a sentence: what it is, and where.

import type { Place } from "../bindings/Place";

const KIND_NAMES: Record<Place["kind"], string> = {
  git: "git credentials",
  npm: "npm",
  nuget: "NuGet",
  maven: "Maven",
  pip: "pip",
  netrc: ".netrc",
};

/** As the CLI names it: `kind:entry`. */
export function placeId(place: Place): string {
  return `${place.kind}:${place.entry}`;
}

/**
 * "npm //pkgs.dev.azure.com/…/registry/ in /home/me/.npmrc"; a NuGet source or a Maven
 * server, named by the file, says the host its client sends the token to.
 */
export function placeLabel(place: Place): string {
  const where = place.file ?? "git's credential helper";
  const host = place.kind === "nuget" || place.kind === "maven" ? ` (${place.host})` : "";
  return `${KIND_NAMES[place.kind]} ${place.entry}${host} in ${where}`;
}
