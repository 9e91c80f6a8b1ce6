import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { IdParam } from '../common/id-param';
import { AnyRole, Public } from './access.decorators';
import { AuthService } from './auth.service';
import {
  ApiTokenResponse,
  CreateApiTokenDto,
  CreatedApiTokenResponse,
  LoginDto,
  MeResponse,
} from './dto/auth.dto';
import { LoginThrottleGuard } from './login-throttle';

@ApiTags('auth')
@Controller('api/v1')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/login')
  @Public()
  @UseGuards(LoginThrottleGuard)
  @HttpCode(200)
  @ApiOkResponse({ type: MeResponse, description: 'Signed in; the session cookie is set' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts' })
  async login(@Req() req: Request, @Body() dto: LoginDto): Promise<MeResponse> {
    return MeResponse.of(await this.auth.login(req, dto.email, dto.password));
  }

  @Post('auth/logout')
  @Public()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Signed out (also when not signed in)' })
  async logout(@Req() req: Request): Promise<void> {
    await this.auth.logout(req);
  }

  @Get('auth/me')
  @AnyRole()
  @ApiOkResponse({ type: MeResponse })
  me(@Req() req: Request): MeResponse {
    return MeResponse.of(req.principal!);
  }

  @Post('api-tokens')
  @AnyRole()
  @ApiCreatedResponse({ type: CreatedApiTokenResponse })
  async createToken(
    @Req() req: Request,
    @Body() dto: CreateApiTokenDto,
  ): Promise<CreatedApiTokenResponse> {
    const { token, row } = await this.auth.createToken(req.principal!, dto.name, dto.expiresInDays);
    return { ...ApiTokenResponse.of(row), token };
  }

  @Get('api-tokens')
  @AnyRole()
  @ApiOkResponse({ type: [ApiTokenResponse], description: 'Your own tokens' })
  async listTokens(@Req() req: Request): Promise<ApiTokenResponse[]> {
    return (await this.auth.listTokens(req.principal!.userId)).map((t) => ApiTokenResponse.of(t));
  }

  @Delete('api-tokens/:id')
  @AnyRole()
  @ApiOkResponse({ type: ApiTokenResponse, description: 'Revoked' })
  async revokeToken(
    @Req() req: Request,
    @Param('id', IdParam) id: string,
  ): Promise<ApiTokenResponse> {
    return ApiTokenResponse.of(await this.auth.revokeToken(req.principal!, id));
  }
}
