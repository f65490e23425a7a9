import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'jiaxiao:isPublic';

/** Marks a route (or controller) as reachable without a bearer token. Every other route requires one. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
