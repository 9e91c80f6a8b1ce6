import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AnyRole, Roles } from '../auth/access.decorators';
import { IdParam } from '../common/id-param';
import {
  CreateOrganisationDto,
  ListOrganisationsQuery,
  OrganisationPage,
  OrganisationResponse,
} from './dto/organisation.dto';
import { CreateUserDto, ListUsersQuery, UserPage, UserResponse } from './dto/user.dto';
import { OrganisationsService } from './organisations.service';
import { UsersService } from './users.service';

@ApiTags('organisations')
@Controller('api/v1/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: OrganisationResponse })
  async create(@Body() dto: CreateOrganisationDto): Promise<OrganisationResponse> {
    return OrganisationResponse.of(await this.organisations.create(dto));
  }

  @Get()
  @AnyRole()
  @ApiOkResponse({ type: OrganisationPage })
  async list(@Query() q: ListOrganisationsQuery): Promise<OrganisationPage> {
    const page = await this.organisations.list(q);
    return { ...page, items: page.items.map((o) => OrganisationResponse.of(o)) };
  }

  @Get(':id')
  @AnyRole()
  @ApiOkResponse({ type: OrganisationResponse })
  async get(@Param('id', IdParam) id: string): Promise<OrganisationResponse> {
    return OrganisationResponse.of(await this.organisations.get(id));
  }

  @Post(':id/deactivate')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({
    type: OrganisationResponse,
    description: 'Deactivated; its users are signed out',
  })
  async deactivate(@Param('id', IdParam) id: string): Promise<OrganisationResponse> {
    return OrganisationResponse.of(await this.organisations.setActive(id, false));
  }

  @Post(':id/activate')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: OrganisationResponse })
  async activate(@Param('id', IdParam) id: string): Promise<OrganisationResponse> {
    return OrganisationResponse.of(await this.organisations.setActive(id, true));
  }
}

@ApiTags('users')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: UserResponse })
  async create(@Body() dto: CreateUserDto): Promise<UserResponse> {
    return UserResponse.of(await this.users.create(dto));
  }

  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: UserPage })
  async list(@Query() q: ListUsersQuery): Promise<UserPage> {
    const page = await this.users.list(q);
    return { ...page, items: page.items.map((u) => UserResponse.of(u)) };
  }

  @Get(':id')
  @Roles('admin')
  @ApiOkResponse({ type: UserResponse })
  async get(@Param('id', IdParam) id: string): Promise<UserResponse> {
    return UserResponse.of(await this.users.get(id));
  }

  @Post(':id/deactivate')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({
    type: UserResponse,
    description: 'Deactivated; all the user’s sessions end at once',
  })
  async deactivate(@Param('id', IdParam) id: string): Promise<UserResponse> {
    return UserResponse.of(await this.users.setActive(id, false));
  }

  @Post(':id/activate')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: UserResponse })
  async activate(@Param('id', IdParam) id: string): Promise<UserResponse> {
    return UserResponse.of(await this.users.setActive(id, true));
  }
}
