// The settings form of one step, by its type. Each control shows the server's error for its own path.
import { BlockStack, Checkbox, ChoiceList, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import type { ThankYouBlock } from "~/flows/thank-you-content";
import type { StepDraft } from "~/flows/editor-draft";
import { FLOW_TEMPLATE_CATEGORY, MAIL_TEMPLATES, MAIL_VARIABLE_LABELS, TEMPLATE_VARIABLES, type MailTemplate } from "~/mail/templates";
import type { ErrorLookup } from "./errors";

const BLOCK_CHOICES: { value: ThankYouBlock; label: string }[] = [
  { value: "thank_you", label: "Thank-you message" },
  { value: "points", label: "Points earned" },
  { value: "tier_progress", label: "Progress to the next tier" },
  { value: "survey", label: "One-question survey" },
  { value: "referral", label: "Referral link" },
  { value: "birthday", label: "Birthday sign-up" },
  { value: "review_cta", label: "Review invitation" },
];

interface Props {
  step: StepDraft;
  /** "actions.2.params" */
  path: string;
  onChange: (step: StepDraft) => void;
  errors: ErrorLookup;
}

/** Where the number of points comes from, for each way of awarding them. */
const AWARD_MODE_HELP: Record<StepDraft["mode"], string> = {
  program:
    "Worked out by your loyalty program's earn rules (the settings on the Loyalty page): points per currency unit, shipping, tax and gift cards, excluded products and collections, product and collection multipliers, the customer's tier multiplier, the minimum order and rounding. While the program earns on paid orders by itself, this step awards nothing, so no order earns twice.",
  multiplier: "A bonus on top of the points your loyalty program's earn rules give the order, whether the program or a flow awards them.",
  fixed: "The same number of points every time, on top of anything else the customer earns.",
  per_currency_unit:
    "This step's own rate on the order subtotal, on top of anything else: it does not follow your loyalty program's exclusions, multipliers, tier multiplier or minimum order.",
};

export function StepParams({ step, path, onChange, errors }: Props) {
  const set = (patch: Partial<StepDraft>) => onChange({ ...step, ...patch });
  const err = (name: string) => errors.under(`${path}.${name}`);
  switch (step.type) {
    case "award_points":
      return (
        <FormLayout>
          <Select
            label="How many points"
            options={[
              { label: "The loyalty program's points for the order", value: "program" },
              { label: "Multiply the program's points for the order", value: "multiplier" },
              { label: "A fixed number of points", value: "fixed" },
              { label: "Points per amount spent (this step's own rate)", value: "per_currency_unit" },
            ]}
            value={step.mode}
            onChange={(mode) => set({ mode: mode as StepDraft["mode"] })}
            error={errors.at(path) ?? errors.at(`${path}.mode`)}
            helpText={AWARD_MODE_HELP[step.mode]}
          />
          {step.mode === "program" ? null : step.mode === "multiplier" ? (
            <TextField
              label="Multiplier"
              autoComplete="off"
              inputMode="decimal"
              value={step.factor}
              onChange={(factor) => set({ factor })}
              error={err("factor")}
              suffix="×"
              helpText="2 awards as many points again as the program's earn rules give the order (a bonus on top, rounded like the program rounds)."
            />
          ) : (
            <FormLayout.Group condensed>
              <TextField label="Points" type="number" autoComplete="off" value={step.points} onChange={(points) => set({ points })} error={err("points")} />
              {step.mode === "per_currency_unit" && (
                <TextField
                  label="For every"
                  autoComplete="off"
                  inputMode="decimal"
                  value={step.per}
                  onChange={(per) => set({ per })}
                  error={err("per")}
                  helpText="Of the order subtotal, like 1.00"
                />
              )}
              {step.mode === "per_currency_unit" && (
                <TextField
                  label="Currency"
                  autoComplete="off"
                  maxLength={3}
                  value={step.currency}
                  onChange={(currency) => set({ currency: currency.toUpperCase() })}
                  error={err("currency")}
                  helpText="Leave empty for the order's currency"
                />
              )}
            </FormLayout.Group>
          )}
        </FormLayout>
      );
    case "wait":
      return (
        <FormLayout>
          <FormLayout.Group>
            <TextField
              label="Wait"
              type="number"
              autoComplete="off"
              value={step.waitAmount}
              onChange={(waitAmount) => set({ waitAmount })}
              error={err("amount")}
            />
            <Select
              label="Unit"
              options={[
                { label: "Days", value: "days" },
                { label: "Hours", value: "hours" },
              ]}
              value={step.unit}
              onChange={(unit) => set({ unit: unit === "hours" ? "hours" : "days" })}
              error={err("unit")}
            />
            {step.unit === "days" && (
              <TextField
                label="At time of day"
                autoComplete="off"
                placeholder="10:00"
                value={step.at}
                onChange={(at) => set({ at })}
                error={err("at")}
                helpText="Optional, in the shop's time zone"
              />
            )}
          </FormLayout.Group>
        </FormLayout>
      );
    case "add_customer_tags":
    case "remove_customer_tags":
    case "add_order_tags":
      return (
        <TextField
          label="Tags"
          autoComplete="off"
          value={step.tags}
          onChange={(tags) => set({ tags })}
          error={err("tags")}
          helpText="Separate tags with commas"
        />
      );
    case "create_reward_discount":
      return <DiscountParams step={step} set={set} err={err} />;
    case "show_thank_you_content":
      return (
        <FormLayout>
          <ChoiceList
            title="Add these blocks"
            allowMultiple
            choices={BLOCK_CHOICES}
            selected={step.blocks}
            onChange={(blocks) => set({ blocks })}
            error={err("blocks")}
          />
          <Text as="p" tone="subdued">
            Added for this order to the blocks switched on in the checkout editor (Afterglow thank-you block settings); a flow cannot hide those. A survey
            chosen here is asked instead of the editor&apos;s question.
          </Text>
          <TextField
            label="Message (optional)"
            autoComplete="off"
            multiline={2}
            value={step.thankYouMessage}
            onChange={(thankYouMessage) => set({ thankYouMessage })}
            error={err("message")}
            helpText="Shown under the checkout editor's thank-you message"
          />
          {step.blocks.includes("survey") && (
            <BlockStack gap="200">
              <Text as="h4" variant="headingSm">
                Survey question
              </Text>
              <FormLayout.Group>
                <TextField
                  label="Question ID"
                  autoComplete="off"
                  value={step.surveyQuestionId}
                  onChange={(surveyQuestionId) => set({ surveyQuestionId })}
                  error={err("survey.questionId") ?? errors.at(`${path}.survey`)}
                  helpText="Flows triggered by Survey answered use this ID"
                />
                <Select
                  label="Kind"
                  options={[
                    { label: "NPS (0–10)", value: "nps" },
                    { label: "Satisfaction", value: "csat" },
                    { label: "How did you hear about us", value: "source" },
                  ]}
                  value={step.surveyKind}
                  onChange={(surveyKind) => set({ surveyKind: surveyKind as StepDraft["surveyKind"] })}
                  error={err("survey.kind")}
                />
              </FormLayout.Group>
              <TextField
                label="Question (optional)"
                autoComplete="off"
                value={step.surveyQuestion}
                onChange={(surveyQuestion) => set({ surveyQuestion })}
                error={err("survey.question")}
              />
            </BlockStack>
          )}
        </FormLayout>
      );
    case "notify_merchant":
      return (
        <FormLayout>
          <TextField label="Message" autoComplete="off" multiline={2} value={step.message} onChange={(message) => set({ message })} error={err("message")} />
          <Select
            label="Severity"
            options={[
              { label: "Info", value: "info" },
              { label: "Warning", value: "warning" },
            ]}
            value={step.severity}
            onChange={(severity) => set({ severity: severity === "warning" ? "warning" : "info" })}
            error={err("severity")}
          />
        </FormLayout>
      );
    case "send_email":
      return (
        <FormLayout>
          <FormLayout.Group>
            <Select
              label="Email template"
              placeholder="Choose an email"
              options={MAIL_TEMPLATES.map((t) => ({ label: EMAIL_TEMPLATE_LABELS[t], value: t }))}
              value={step.template}
              onChange={(template) => set({ template })}
              helpText={emailTemplateHelp(step.template)}
              error={err("template")}
            />
            <TextField label="Subject (optional)" autoComplete="off" value={step.subject} onChange={(subject) => set({ subject })} error={err("subject")} />
          </FormLayout.Group>
        </FormLayout>
      );
    case "request_review":
      return (
        <TextField
          label="Products to ask about, at most"
          type="number"
          autoComplete="off"
          value={step.maxProducts}
          onChange={(maxProducts) => set({ maxProducts })}
          error={err("maxProducts")}
        />
      );
    default:
      return (
        <Text as="p" tone="subdued">
          This step&apos;s settings can&apos;t be changed here yet; they are kept as they are.
        </Text>
      );
  }
}

interface DiscountProps {
  step: StepDraft;
  set: (patch: Partial<StepDraft>) => void;
  err: (name: string) => string | undefined;
}

function DiscountParams({ step, set, err }: DiscountProps) {
  return (
    <FormLayout>
      <FormLayout.Group>
        <Select
          label="Discount"
          options={[
            { label: "Percentage off", value: "percentage" },
            { label: "Fixed amount off", value: "fixed_amount" },
            { label: "Free shipping", value: "free_shipping" },
          ]}
          value={step.kind}
          onChange={(kind) => set({ kind: kind as StepDraft["kind"] })}
          error={err("reward.kind") ?? (step.kind === "free_shipping" ? err("reward") : undefined)}
        />
        {step.kind === "percentage" && (
          <TextField
            label="Percent off"
            type="number"
            autoComplete="off"
            suffix="%"
            value={step.percent}
            onChange={(percent) => set({ percent })}
            error={err("reward.percent")}
          />
        )}
        {step.kind === "fixed_amount" && (
          <TextField
            label="Amount off"
            autoComplete="off"
            inputMode="decimal"
            value={step.rewardAmount}
            onChange={(rewardAmount) => set({ rewardAmount })}
            error={err("reward.amount")}
          />
        )}
        {step.kind === "fixed_amount" && (
          <TextField
            label="Currency"
            autoComplete="off"
            maxLength={3}
            value={step.rewardCurrency}
            onChange={(rewardCurrency) => set({ rewardCurrency: rewardCurrency.toUpperCase() })}
            error={err("reward.currency")}
            helpText="Leave empty for the shop's currency"
          />
        )}
      </FormLayout.Group>
      <FormLayout.Group>
        <TextField
          label="Minimum order (optional)"
          autoComplete="off"
          inputMode="decimal"
          value={step.minimumOrder}
          onChange={(minimumOrder) => set({ minimumOrder })}
          error={err("minimumOrder")}
        />
        <TextField
          label="Valid for"
          type="number"
          autoComplete="off"
          suffix="days"
          value={step.expiresInDays}
          onChange={(expiresInDays) => set({ expiresInDays })}
          error={err("expiresInDays")}
        />
      </FormLayout.Group>
      <Checkbox
        label="Wait for my approval before creating it"
        checked={step.requiresApproval}
        onChange={(requiresApproval) => set({ requiresApproval })}
        error={err("requiresApproval")}
      />
      <Checkbox
        label="Email the code to the customer"
        checked={step.emailToCustomer}
        onChange={(emailToCustomer) => set({ emailToCustomer })}
        error={err("emailToCustomer")}
      />
    </FormLayout>
  );
}

const EMAIL_TEMPLATE_LABELS: Record<MailTemplate, string> = {
  "win-back": "Win-back offer (marketing)",
  "reward-code": "Reward code (marketing; transactional when the flow answers a survey)",
  "apology-reward": "Apology with a reward (for survey answers; quotes nothing the customer wrote)",
  "thank-you": "Thank you (transactional)",
  "points-balance": "Points balance (transactional)",
  "points-expiring": "Points expiring (marketing)",
};

/** What the chosen e-mail shows that an earlier step (or the trigger) must provide, and who may get it. */
function emailTemplateHelp(template: string): string | undefined {
  if (!(MAIL_TEMPLATES as readonly string[]).includes(template)) return undefined;
  const needs = TEMPLATE_VARIABLES[template as MailTemplate];
  const shows = needs.length > 0 ? `Shows ${needs.map((v) => MAIL_VARIABLE_LABELS[v]).join(" and ")}. ` : "";
  const who =
    template === "reward-code" || template === "apology-reward"
      ? "Sent only to customers subscribed to e-mail marketing in Shopify, unless the flow starts on a survey answer (then the apology, sent to anyone who has not unsubscribed from order and account e-mails)."
      : FLOW_TEMPLATE_CATEGORY[template as MailTemplate] === "marketing"
        ? "Sent only to customers subscribed to e-mail marketing in Shopify who have not unsubscribed."
        : "Sent to every customer with an e-mail address who has not unsubscribed.";
  return `${shows}${who}`;
}
