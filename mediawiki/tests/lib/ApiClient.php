<?php
/**
 * A small api.php client over PHP's HTTP stream wrapper: form-encoded POSTs,
 * a cookie jar fed from Set-Cookie, optional X-Forwarded-For. No curl needed.
 */

final class ApiClient {
	/** @var array<string,string> cookie name => value */
	private array $cookies = [];

	/** @var float seconds the last request took, measured on the client */
	public float $lastSeconds = 0.0;

	public function __construct(
		private string $apiUrl,
		private ?string $forwardedFor = null
	) {
	}

	/** GET api.php with format=json&formatversion=2; returns the decoded answer. */
	public function get( array $params ): array {
		return $this->request( 'GET', $params );
	}

	/** POST api.php (application/x-www-form-urlencoded). */
	public function post( array $params ): array {
		return $this->request( 'POST', $params );
	}

	public function token( string $type = 'csrf' ): string {
		$answer = $this->get( [ 'action' => 'query', 'meta' => 'tokens', 'type' => $type ] );
		$token = $answer['query']['tokens'][$type . 'token'] ?? null;
		if ( !is_string( $token ) ) {
			throw new RuntimeException( "no $type token: " . json_encode( $answer ) );
		}
		return $token;
	}

	/** clientlogin with the main account; throws unless the answer is PASS. */
	public function login( string $user, string $password ): void {
		$answer = $this->post( [
			'action' => 'clientlogin',
			'username' => $user,
			'password' => $password,
			'logintoken' => $this->token( 'login' ),
			'loginreturnurl' => 'http://127.0.0.1/',
		] );
		if ( ( $answer['clientlogin']['status'] ?? '' ) !== 'PASS' ) {
			throw new RuntimeException( 'login failed: ' . json_encode( $answer ) );
		}
	}

	/** action=edit with errorformat=raw, so refusals carry both the API code and the message key. */
	public function edit( string $title, string $text, string $token, string $summary = 'e2e' ): array {
		return $this->post( [
			'action' => 'edit',
			'title' => $title,
			'text' => $text,
			'summary' => $summary,
			'token' => $token,
			'errorformat' => 'raw',
		] );
	}

	private function request( string $method, array $params ): array {
		$params += [ 'format' => 'json', 'formatversion' => '2' ];
		$query = http_build_query( $params, '', '&', PHP_QUERY_RFC3986 );
		$headers = [];
		if ( $this->cookies ) {
			$pairs = [];
			foreach ( $this->cookies as $name => $value ) {
				$pairs[] = "$name=$value";
			}
			$headers[] = 'Cookie: ' . implode( '; ', $pairs );
		}
		if ( $this->forwardedFor !== null ) {
			$headers[] = 'X-Forwarded-For: ' . $this->forwardedFor;
		}
		$url = $this->apiUrl;
		$http = [ 'method' => $method, 'ignore_errors' => true, 'timeout' => 60 ];
		if ( $method === 'POST' ) {
			$headers[] = 'Content-Type: application/x-www-form-urlencoded';
			$http['content'] = $query;
		} else {
			$url .= '?' . $query;
		}
		$http['header'] = implode( "\r\n", $headers );

		$start = hrtime( true );
		$body = @file_get_contents( $url, false, stream_context_create( [ 'http' => $http ] ) );
		$this->lastSeconds = ( hrtime( true ) - $start ) / 1e9;
		// PHP fills $http_response_header in this scope.
		$responseHeaders = $http_response_header ?? [];
		if ( $body === false ) {
			throw new RuntimeException( "$method $url: no answer" );
		}
		foreach ( $responseHeaders as $line ) {
			if ( preg_match( '/^Set-Cookie:\s*([^=;\s]+)=([^;]*)/i', $line, $m ) ) {
				if ( $m[2] === '' || $m[2] === 'deleted' ) {
					unset( $this->cookies[$m[1]] );
				} else {
					$this->cookies[$m[1]] = $m[2];
				}
			}
		}
		$answer = json_decode( $body, true );
		if ( !is_array( $answer ) ) {
			throw new RuntimeException( "$method $url: not JSON: " . substr( $body, 0, 500 ) );
		}
		return $answer;
	}
}
