/** Query hooks for the organisation: vendors, sites, teams and people. */
import type { QueryParams } from './client';
import { ORG_RESOURCES, useCreate, useDetail, useList, useUpdate } from './resource';
import type { ActiveStatus, JobRole, Person, PersonStatus, Site, Team, Vendor } from './types';

export interface VendorBody {
  name: string;
  code: string;
  isInHouse: boolean;
  status?: ActiveStatus;
}

export interface SiteBody {
  vendorId: string;
  name: string;
  countryCode: string;
  timeZone: string;
  status?: ActiveStatus;
}

export interface TeamBody {
  siteId: string;
  name: string;
  workflowId?: string | null;
  status?: ActiveStatus;
}

export interface PersonBody {
  siteId: string;
  teamId?: string | null;
  fullName: string;
  email?: string | null;
  employeeRef?: string | null;
  jobRole: JobRole;
  hireDate: string;
  languages: string[];
  workflowIds: string[];
  status?: PersonStatus;
}

export const useVendors = (params: QueryParams = {}, enabled = true) =>
  useList<Vendor>('vendors', params, { enabled });
export const useVendor = (id: string | undefined) => useDetail<Vendor>('vendors', id);
export const useCreateVendor = () => useCreate<VendorBody, Vendor>('vendors', ORG_RESOURCES);
export const useUpdateVendor = () => useUpdate<Partial<VendorBody>, Vendor>('vendors', ORG_RESOURCES);

export const useSites = (params: QueryParams = {}, enabled = true) => useList<Site>('sites', params, { enabled });
export const useSite = (id: string | undefined) => useDetail<Site>('sites', id);
export const useCreateSite = () => useCreate<SiteBody, Site>('sites', ORG_RESOURCES);
export const useUpdateSite = () => useUpdate<Partial<Omit<SiteBody, 'vendorId'>>, Site>('sites', ORG_RESOURCES);

export const useTeams = (params: QueryParams = {}, enabled = true) => useList<Team>('teams', params, { enabled });
export const useTeam = (id: string | undefined) => useDetail<Team>('teams', id);
export const useCreateTeam = () => useCreate<TeamBody, Team>('teams', ORG_RESOURCES);
export const useUpdateTeam = () => useUpdate<Partial<Omit<TeamBody, 'siteId'>>, Team>('teams', ORG_RESOURCES);

export const usePeople = (params: QueryParams = {}, enabled = true) =>
  useList<Person>('people', params, { enabled });
export const usePerson = (id: string | undefined) => useDetail<Person>('people', id);
export const useCreatePerson = () => useCreate<PersonBody, Person>('people', ORG_RESOURCES);
export const useUpdatePerson = () => useUpdate<Partial<PersonBody>, Person>('people', ORG_RESOURCES);
