import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as exposure from '../../domain/wellbeing/exposure.service.ts';
import * as wellbeing from '../../domain/wellbeing/wellbeing.service.ts';
import { commonErrors, Nullable } from '../schemas.ts';

const Mode = Type.Union([Type.Literal('always'), Type.Literal('default_on'), Type.Literal('default_off')]);
const TierLimits = Type.Object({ blur: Mode, greyscale: Mode, mute: Mode, warningScreen: Type.Boolean() });
const Limits = Type.Object({ critical: TierLimits, high: TierLimits, medium: TierLimits, low: TierLimits, none: TierLimits });
const Choices = Type.Object({ blur: Type.Optional(Type.Boolean()), greyscale: Type.Optional(Type.Boolean()), mute: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
const Preferences = Type.Object(
  { critical: Type.Optional(Choices), high: Type.Optional(Choices), medium: Type.Optional(Choices), low: Type.Optional(Choices), none: Type.Optional(Choices) },
  { additionalProperties: false },
);
const Display = Type.Object({ tier: Type.String(), blur: Type.Boolean(), greyscale: Type.Boolean(), mute: Type.Boolean(), warningScreen: Type.Boolean(), adjustable: Type.Array(Type.String()) });
const PreferencesView = Type.Object({ preferences: Preferences, limits: Limits, effective: Type.Array(Display) });
const HarmFigures = Type.Object({
  totalSeconds: Type.Number(),
  totalItems: Type.Integer(),
  byHarmType: Type.Array(Type.Object({ harmType: Type.String(), seconds: Type.Number(), items: Type.Integer(), reveals: Type.Integer() })),
});

export const wellbeingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/wellbeing/settings',
    {
      config: { access: { permission: 'wellbeing.manage' } },
      schema: { tags: ['Wellbeing'], summary: 'The display limits per severity tier that people choose within', response: { 200: Limits, ...commonErrors } },
    },
    (request) => request.db((trx) => wellbeing.getLimits(trx)),
  );

  app.put(
    '/api/wellbeing/settings',
    {
      config: { access: { permission: 'wellbeing.manage' } },
      schema: {
        tags: ['Wellbeing'],
        summary: "Set the limits: per tier, blur / greyscale / mute 'always' (cannot be turned off), 'default_on' or 'default_off', and a warning screen",
        body: Limits,
        response: { 200: Limits, ...commonErrors },
      },
    },
    (request) => request.db((trx) => wellbeing.setLimits(trx, request.actor(), request.body)),
  );

  app.get(
    '/api/wellbeing/preferences',
    {
      config: { access: { signedIn: true } },
      schema: { tags: ['Wellbeing'], summary: 'Your display preferences, the limits, and what each tier looks like for you', response: { 200: PreferencesView, ...commonErrors } },
    },
    (request) => request.db((trx) => wellbeing.getPreferences(trx, request.actor())),
  );

  app.put(
    '/api/wellbeing/preferences',
    {
      config: { access: { signedIn: true } },
      schema: {
        tags: ['Wellbeing'],
        summary: "Set your preferences within the limits (422 when a protection the organisation keeps 'always' is turned off)",
        body: Preferences,
        response: { 200: PreferencesView, ...commonErrors },
      },
    },
    (request) => request.db((trx) => wellbeing.setPreferences(trx, request.actor(), request.body)),
  );

  app.post(
    '/api/exposure',
    {
      config: { access: { signedIn: true } },
      schema: {
        tags: ['Wellbeing'],
        summary: "Record what you were shown: a view or a reveal of a decision's content, and for how long (a reveal is also audited)",
        body: Type.Object(
          {
            decisionId: Type.String({ format: 'uuid' }),
            event: Type.Union([Type.Literal('view'), Type.Literal('reveal')]),
            seconds: Type.Number({ minimum: 0, maximum: 86_400 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), harmType: Type.String(), severity: Nullable(Type.String()) }), ...commonErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => exposure.recordExposure(trx, request.actor(), request.body))),
  );

  app.get(
    '/api/exposure/me',
    {
      config: { access: { signedIn: true } },
      schema: { tags: ['Wellbeing'], summary: 'Your own exposure by harm type over the last 7 and 30 days', response: { 200: Type.Object({ last7Days: HarmFigures, last30Days: HarmFigures }), ...commonErrors } },
    },
    (request) => request.db((trx) => exposure.myExposure(trx, request.actor())),
  );

  app.get(
    '/api/exposure/summary',
    {
      // Wellbeing leads and QA managers: either permission (checked in the service).
      config: { access: { signedIn: true } },
      schema: {
        tags: ['Wellbeing'],
        summary: 'Exposure in aggregate per vendor and harm type, never per person (wellbeing.manage or qa.manage)',
        querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 30 })) }),
        response: {
          200: Type.Object({
            days: Type.Integer(),
            items: Type.Array(Type.Object({ vendorId: Nullable(Type.String()), vendorName: Nullable(Type.String()), harmType: Type.String(), people: Type.Integer(), items: Type.Integer(), seconds: Type.Number(), reveals: Type.Integer() })),
          }),
          ...commonErrors,
        },
      },
    },
    (request) => request.db((trx) => exposure.exposureSummary(trx, request.actor(), request.query.days ?? 30)),
  );
};
