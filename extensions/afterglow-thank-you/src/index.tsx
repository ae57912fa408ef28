/** @jsxImportSource preact */
// One module for both targets: purchase.thank-you.block.render and customer-account.order-status.block.render.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { Block } from "./Block";

export default async () => {
  render(<Block />, document.body);
};
