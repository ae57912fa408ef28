import { Form, useNavigation } from "@remix-run/react";
import { BlockStack, Box, Button, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";

interface Template {
  id: string;
  name: string;
  description: string;
}

/** "Create flow": a card per template, or a blank flow. Creating opens the editor. */
export function TemplatePicker({ templates, onCancel }: { templates: Template[]; onCancel?: () => void }) {
  const navigation = useNavigation();
  const pending = navigation.state !== "idle" ? navigation.formData?.get("templateId") : undefined;
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Create a flow
            </Text>
            <Text as="p" tone="subdued">
              Start from a template and adjust it, or build one from scratch. New flows start off.
            </Text>
          </BlockStack>
          {onCancel && (
            <Button variant="plain" onClick={onCancel}>
              Cancel
            </Button>
          )}
        </InlineStack>
        <InlineGrid columns={{ xs: 1, sm: 2, lg: 3 }} gap="300">
          {templates.map((template) => (
            <Box key={template.id} padding="400" borderWidth="025" borderColor="border" borderRadius="200">
              <BlockStack gap="300" align="space-between">
                <BlockStack gap="100">
                  <Text as="h3" variant="headingSm">
                    {template.name}
                  </Text>
                  <Text as="p" tone="subdued">
                    {template.description}
                  </Text>
                </BlockStack>
                <Form method="post">
                  <input type="hidden" name="intent" value="create" />
                  <input type="hidden" name="templateId" value={template.id} />
                  <Button submit accessibilityLabel={`Use template ${template.name}`} loading={pending === template.id}>
                    Use template
                  </Button>
                </Form>
              </BlockStack>
            </Box>
          ))}
        </InlineGrid>
        <Form method="post">
          <input type="hidden" name="intent" value="create" />
          <input type="hidden" name="templateId" value="" />
          <Button submit variant="primary" loading={pending === ""}>
            Start blank
          </Button>
        </Form>
      </BlockStack>
    </Card>
  );
}
