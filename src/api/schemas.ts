import { Type, type TSchema } from '@fastify/type-provider-typebox';

/** Shared pieces of the OpenAPI schema. */

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Array(Type.Object({ path: Type.String(), message: Type.String(), line: Type.Optional(Type.Integer()) })),
    }),
  },
  { $id: 'Error', description: 'Every non-2xx answer has this shape.' },
);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
};

export function pageOf(query: { limit?: number; offset?: number }) {
  return { limit: query.limit ?? 50, offset: query.offset ?? 0 };
}

export function ListOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer() });
}

export const Status = Type.Union([Type.Literal('active'), Type.Literal('inactive')]);
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A rate x / n with its interval (src/domain/stats/proportions.ts: ProportionEstimate). */
export const ProportionInterval = Type.Object({
  estimate: Nullable(Type.Number()),
  lower: Type.Number(),
  upper: Type.Number(),
  x: Type.Integer(),
  n: Type.Integer(),
  confidence: Type.Number(),
  method: Type.Union([Type.Literal('wilson'), Type.Literal('clopper-pearson'), Type.Literal('wald'), Type.Literal('agresti-coull')]),
});

/** Error answers every authenticated route may give, for the OpenAPI document. */
export const commonErrors = {
  401: Type.Ref('Error'),
  403: Type.Ref('Error'),
  404: Type.Ref('Error'),
  422: Type.Ref('Error'),
};
