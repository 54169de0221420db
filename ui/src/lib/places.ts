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

/** "npm //pkgs.dev.azure.com/…/registry/ in /home/me/.npmrc". */
export function placeLabel(place: Place): string {
  const where = place.file ?? "git's credential helper";
  return `${KIND_NAMES[place.kind]} ${place.entry} in ${where}`;
}
