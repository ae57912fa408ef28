import { LoginErrorType, type LoginError } from "@shopify/shopify-app-remix/server";

/** Turns the library's login error codes into words a merchant understands. */
export function loginErrorMessage(loginErrors: LoginError | undefined | null): { shop?: string } {
  if (loginErrors?.shop === LoginErrorType.MissingShop) return { shop: "Please enter your shop domain to log in" };
  if (loginErrors?.shop === LoginErrorType.InvalidShop) return { shop: "Please enter a valid shop domain to log in" };
  return {};
}
