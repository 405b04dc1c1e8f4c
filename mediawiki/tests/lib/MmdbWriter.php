<?php
/**
 * Writes a small IPv4 MaxMind DB (MMDB format 2.0, 24-bit records) from
 * [cidr => record] pairs: enough to give the e2e wiki a reputation database
 * without depending on any other tool. Records are maps of strings, ints,
 * bools and lists, encoded as the MaxMind DB spec says.
 */

final class MmdbWriter {
	private const METADATA_MARKER = "\xAB\xCD\xEFMaxMind.com";

	/** @var array<int,array{0:mixed,1:mixed}> nodes: [left, right], each null | ['node', i] | ['data', offset] */
	private array $nodes = [ [ null, null ] ];

	private string $data = '';

	public function insert( string $cidr, array $record ): void {
		[ $ip, $prefix ] = explode( '/', $cidr ) + [ 1 => '32' ];
		$bits = sprintf( '%032b', ip2long( $ip ) );
		$prefix = (int)$prefix;
		$offset = strlen( $this->data );
		$this->data .= self::encode( $record );
		$node = 0;
		for ( $depth = 0; $depth < $prefix - 1; $depth++ ) {
			$side = (int)$bits[$depth];
			if ( $this->nodes[$node][$side] === null ) {
				$this->nodes[] = [ null, null ];
				$this->nodes[$node][$side] = [ 'node', count( $this->nodes ) - 1 ];
			}
			$node = $this->nodes[$node][$side][1];
		}
		$this->nodes[$node][(int)$bits[$prefix - 1]] = [ 'data', $offset ];
	}

	public function write( string $path, string $databaseType ): void {
		$count = count( $this->nodes );
		$tree = '';
		foreach ( $this->nodes as [ $left, $right ] ) {
			foreach ( [ $left, $right ] as $record ) {
				$value = match ( $record[0] ?? null ) {
					'node' => $record[1],
					'data' => $count + 16 + $record[1],
					default => $count,
				};
				$tree .= substr( pack( 'N', $value ), 1 );
			}
		}
		$metadata = self::encode( [
			'binary_format_major_version' => [ 'uint16', 2 ],
			'binary_format_minor_version' => [ 'uint16', 0 ],
			'build_epoch' => [ 'uint64', time() ],
			'database_type' => $databaseType,
			'description' => [ 'en' => 'WikiGuard e2e test reputation database' ],
			'ip_version' => [ 'uint16', 4 ],
			'languages' => [ 'en' ],
			'node_count' => [ 'uint32', $count ],
			'record_size' => [ 'uint16', 24 ],
		] );
		$bytes = $tree . str_repeat( "\0", 16 ) . $this->data . self::METADATA_MARKER . $metadata;
		if ( file_put_contents( $path, $bytes ) !== strlen( $bytes ) ) {
			throw new RuntimeException( "cannot write $path" );
		}
	}

	/** Encodes a PHP value; [ 'uint16'|'uint32'|'uint64', int ] forces an unsigned type. */
	private static function encode( mixed $value ): string {
		if ( is_array( $value ) && count( $value ) === 2 && in_array( $value[0] ?? null, [ 'uint16', 'uint32', 'uint64' ], true ) ) {
			$type = [ 'uint16' => 5, 'uint32' => 6, 'uint64' => 9 ][$value[0]];
			$payload = ltrim( pack( 'J', $value[1] ), "\0" );
			return self::control( $type, strlen( $payload ) ) . $payload;
		}
		if ( is_bool( $value ) ) {
			return self::control( 14, $value ? 1 : 0 );
		}
		if ( is_int( $value ) ) {
			// int32 (type 8), as signed big-endian bytes
			$payload = $value === 0 ? '' : pack( 'N', $value );
			return self::control( 8, strlen( $payload ) ) . $payload;
		}
		if ( is_string( $value ) ) {
			return self::control( 2, strlen( $value ) ) . $value;
		}
		if ( is_array( $value ) && array_is_list( $value ) ) {
			return self::control( 11, count( $value ) ) . implode( '', array_map( [ self::class, 'encode' ], $value ) );
		}
		if ( is_array( $value ) ) {
			$out = self::control( 7, count( $value ) );
			foreach ( $value as $key => $item ) {
				$out .= self::encode( (string)$key ) . self::encode( $item );
			}
			return $out;
		}
		throw new InvalidArgumentException( 'cannot encode ' . get_debug_type( $value ) );
	}

	private static function control( int $type, int $size ): string {
		if ( $size < 29 ) {
			[ $sizeBits, $extra ] = [ $size, '' ];
		} elseif ( $size < 285 ) {
			[ $sizeBits, $extra ] = [ 29, chr( $size - 29 ) ];
		} elseif ( $size < 65821 ) {
			[ $sizeBits, $extra ] = [ 30, pack( 'n', $size - 285 ) ];
		} else {
			[ $sizeBits, $extra ] = [ 31, substr( pack( 'N', $size - 65821 ), 1 ) ];
		}
		if ( $type <= 7 ) {
			return chr( ( $type << 5 ) | $sizeBits ) . $extra;
		}
		return chr( $sizeBits ) . chr( $type - 7 ) . $extra;
	}
}
