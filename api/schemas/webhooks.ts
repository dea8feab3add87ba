/** Request and response schemas of the webhook endpoints and deliveries. */
import { Type } from 'typebox';
import { WebhookDeliveryStatuses, WebhookEventTypes } from '../../contracts';
import { LiteralUnion } from '../../contracts/literal-union';

/** An endpoint id. */
export const EndpointIdSchema = Type.String({ pattern: '^whe_[0-9a-z]{26}$', description: 'Webhook endpoint id' });
/** A delivery id, also the `webhook-id` header of its messages. */
export const DeliveryIdSchema = Type.String({
  pattern: '^msg_[0-9a-z]{26}$',
  description: 'Delivery id (the webhook-id header)',
});

const EventTypeSchema = LiteralUnion(WebhookEventTypes, { description: WebhookEventTypes.join(', ') });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** Body of `POST /v1/webhook-endpoints`. */
export const CreateEndpointBody = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'https URL that receives POSTed events',
      examples: ['https://partner.example.com/webhooks'],
    }),
    eventTypes: Type.Optional(
      Type.Array(EventTypeSchema, {
        uniqueItems: true,
        description: 'Event types to receive; empty or absent means all',
      }),
    ),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

/** Body of `PATCH /v1/webhook-endpoints/{id}`. */
export const PatchEndpointBody = Type.Object(
  { enabled: Type.Boolean({ description: 'false stops deliveries; true resumes them and clears the failure record' }) },
  { additionalProperties: false },
);

/** An endpoint as partners see it (never its secrets, except right after create and rotate). */
export const EndpointSchema = Type.Object({
  id: EndpointIdSchema,
  url: Type.String(),
  description: Nullable(Type.String()),
  eventTypes: Type.Array(Type.String(), { description: 'Empty means all event types' }),
  enabled: Type.Boolean(),
  disabledReason: Nullable(Type.String()),
  disabledAt: Nullable(Type.String({ format: 'date-time' })),
  failingSince: Nullable(Type.String({ format: 'date-time' })),
  previousSecretValidUntil: Nullable(
    Type.String({
      format: 'date-time',
      description: 'Until then messages also carry a signature made with the previous secret',
    }),
  ),
  createdAt: Type.String({ format: 'date-time' }),
  links: Type.Record(Type.String(), Type.String()),
});

/** An endpoint with its new signing secret, shown only once. */
export const EndpointWithSecretSchema = Type.Object({
  ...EndpointSchema.properties,
  secret: Type.String({ description: 'whsec_... signing secret; shown once, store it now' }),
});

/** A list of endpoints. */
export const EndpointListSchema = Type.Object({ data: Type.Array(EndpointSchema) });

/** A delivery: one event to one endpoint. */
export const DeliverySchema = Type.Object({
  id: DeliveryIdSchema,
  endpointId: EndpointIdSchema,
  submissionId: Nullable(Type.String()),
  eventType: Type.String(),
  status: LiteralUnion(WebhookDeliveryStatuses, { description: WebhookDeliveryStatuses.join(', ') }),
  attemptCount: Type.Integer(),
  lastAttemptAt: Nullable(Type.String({ format: 'date-time' })),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  links: Type.Record(Type.String(), Type.String()),
});

/** One HTTP attempt of a delivery. */
export const AttemptSchema = Type.Object({
  attempt: Type.Integer(),
  startedAt: Type.String({ format: 'date-time' }),
  latencyMs: Type.Integer(),
  statusCode: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  succeeded: Type.Boolean(),
});

/** A delivery with its body and every attempt. */
export const DeliveryDetailSchema = Type.Object({
  ...DeliverySchema.properties,
  payload: Type.String({ description: 'The exact JSON body sent' }),
  attempts: Type.Array(AttemptSchema),
});

/** A list of deliveries. */
export const DeliveryListSchema = Type.Object({ data: Type.Array(DeliverySchema) });

/** Query of `GET /v1/webhook-deliveries`. */
export const DeliveryListQuery = Type.Object(
  {
    submissionId: Type.Optional(Type.String({ pattern: '^sub_[0-9a-z]{26}$' })),
    endpointId: Type.Optional(EndpointIdSchema),
    status: Type.Optional(LiteralUnion(WebhookDeliveryStatuses)),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

/** Answer of a bulk redelivery. */
export const RedeliverFailedResultSchema = Type.Object({
  redelivered: Type.Array(DeliveryIdSchema),
  skipped: Type.Array(Type.Object({ id: DeliveryIdSchema, reason: Type.String() })),
  more: Type.Boolean({
    description:
      'More failed deliveries remain since the instant: the same request with `after` set to `next` takes them',
  }),
  next: Type.Optional({
    ...DeliveryIdSchema,
    description: 'When more remain, the last delivery this request took: pass it as `after` to go on',
  }),
});
