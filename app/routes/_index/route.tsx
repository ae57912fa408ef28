import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { appConfig, SANDBOX_SHOP } from "~/config.server";
import { login } from "~/shopify/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  // Shopify opens the app with ?shop=…: go straight into the embedded admin.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return { showForm: Boolean(login), sandbox: appConfig.sandboxSignIn, sandboxShop: SANDBOX_SHOP };
};

export default function Landing() {
  const { showForm, sandbox, sandboxShop } = useLoaderData<typeof loader>();
  return (
    <main style={{ maxWidth: 560, margin: "64px auto", fontFamily: "system-ui, sans-serif", lineHeight: 1.5 }}>
      <h1>Afterglow</h1>
      <p>Turn every order into a relationship: thank-you pages, review requests, loyalty points and referrals, run by your own flows.</p>
      {sandbox && (
        <p>
          <a href={`/sandbox/sign-in?shop=${sandboxShop}`} data-testid="sandbox-sign-in">
            Open the sandbox admin for {sandboxShop}
          </a>
        </p>
      )}
      {showForm && (
        <Form method="post" action="/auth/login">
          <label>
            Shop domain <input type="text" name="shop" placeholder="my-shop.myshopify.com" />
          </label>{" "}
          <button type="submit">Log in</button>
        </Form>
      )}
    </main>
  );
}
