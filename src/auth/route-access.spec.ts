import { Controller, Get, Module, Post } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Public, Roles } from './access.decorators';
import { listRouteAccess } from './route-access';

@Controller('api/v1/things')
class ThingsController {
  @Get()
  @Public()
  list() {
    return [];
  }

  @Post()
  @Roles('admin')
  create() {
    return {};
  }

  @Get(':id')
  forgotten() {
    return {};
  }
}

@Roles('recruiter')
@Controller('api/v1/class-level')
class ClassLevelController {
  @Get()
  list() {
    return [];
  }
}

@Module({ imports: [DiscoveryModule], controllers: [ThingsController, ClassLevelController] })
class FixtureModule {}

describe('listRouteAccess (the route-guard walker)', () => {
  it('finds a route without an access declaration, and accepts public, method- and class-level roles', async () => {
    const ref = await Test.createTestingModule({ imports: [FixtureModule] }).compile();
    const routes = listRouteAccess(
      ref.get(DiscoveryService),
      ref.get(MetadataScanner),
      ref.get(Reflector),
    );
    const by = (path: string, method: string) =>
      routes.find((r) => r.path === path && r.method === method);
    expect(by('/api/v1/things', 'GET')?.access).toBe('public');
    expect(by('/api/v1/things', 'POST')).toMatchObject({ access: 'roles', roles: ['admin'] });
    expect(by('/api/v1/things/:id', 'GET')).toMatchObject({
      access: 'undeclared',
      handler: 'forgotten',
    });
    expect(by('/api/v1/class-level', 'GET')).toMatchObject({
      access: 'roles',
      roles: ['recruiter'],
    });
  });
});
