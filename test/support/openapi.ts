import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * A validator for the 200 body of `GET <path>` as an OpenAPI 3.1 document describes it (JSON Schema 2020-12, with
 * the document's `#/components/schemas/…` references). Formats are not checked here (dates carry a pattern anyway).
 */
export function responseValidator(document: Record<string, unknown>, path: string) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'openapi.json', components: (document as { components: unknown }).components });
  const paths = document.paths as Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }>;
  const schema = JSON.parse(JSON.stringify(paths[path]!.get.responses['200']!.content['application/json']!.schema).replaceAll('"#/components/', '"openapi.json#/components/'));
  const validate = ajv.compile(schema as object);
  return (body: unknown) => (validate(body) ? null : ajv.errorsText(validate.errors));
}
