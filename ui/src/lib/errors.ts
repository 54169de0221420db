import type { ErrorCode } from "../bindings/ErrorCode";

/** A heading for an error the whole list cannot get past. */
export function errorTitle(code: ErrorCode): string {
  switch (code) {
    case "signInRequired":
      return "Sign-in needed";
    case "keyringUnavailable":
      return "The keyring is not available";
    case "offline":
      return "Azure DevOps cannot be reached";
    case "rateLimited":
      return "Azure DevOps asks to slow down";
    case "accessDenied":
      return "Access denied";
    case "refusedByPolicy":
      return "Refused by an organization policy";
    case "notFound":
      return "Nothing found";
    default:
      return "Something went wrong";
  }
}
