/** @jsxImportSource preact */
// One module for both targets: the full "Rewards" page and the profile block (a summary linking to the page).
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { Rewards } from "./Rewards";

export default async () => {
  render(<Rewards />, document.body);
};
